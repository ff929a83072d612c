"""Language-model I/O: prompts (:mod:`~her_arc.lm.prompt`), the tokenizer (:mod:`~her_arc.lm.tokenizer`), samplers by
backend (:mod:`~her_arc.lm.sampling`) and LoRA fine-tuning (:mod:`~her_arc.lm.training`)."""
