"""Machine translation: Argos packages (translation models), the batched CTranslate2 engine, pre-translation."""
