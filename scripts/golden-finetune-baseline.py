"""Golden values for lib/textclass (TF-IDF + logistic regression), from scikit-learn.

Run: .venv-ref/bin/python scripts/golden-finetune-baseline.py > lib/textclass/testdata/sklearn.json
The corpus is written here by hand (symptom-like sentences), so no data set is copied.
"""
import json

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

train = [
    ("I have a high fever and chills every evening", 1),
    ("Fever, sweating and a headache that comes back every two days", 1),
    ("My skin has red itchy blisters filled with fluid", 1),
    ("Coughing with yellow phlegm and a fever, hard to breathe", 1),
    ("Burning when I urinate and I need to go often", 1),
    ("Runny nose, sneezing and a sore throat since yesterday", 1),
    ("Pain in my knees and stiff joints in the morning", 0),
    ("Burning pain in my chest after meals, acid in my throat", 0),
    ("My blood sugar is high and I am always thirsty", 0),
    ("Swollen veins in my legs that ache after standing", 0),
    ("Severe headache on one side with flashes of light", 0),
    ("Dry scaly patches on my elbows and scalp", 0),
    ("Itchy rash after taking a new medicine", 0),
    ("My neck is stiff and the pain goes down my arm", 0),
]
test = [
    "fever and chills with a bad headache",
    "stiff knees and aching joints",
    "itchy rash on my skin",
    "nothing in the vocabulary xyzzy",
]
texts = [t for t, _ in train]
y = [l for _, l in train]
vec = TfidfVectorizer()
X = vec.fit_transform(texts)
terms = vec.get_feature_names_out().tolist()
out = {
    "train_texts": texts,
    "train_labels": y,
    "test_texts": test,
    "terms": terms,
    "idf": vec.idf_.tolist(),
    "test_tfidf": vec.transform(test).toarray().tolist(),
}
lr = LogisticRegression(C=1.0, tol=1e-12, max_iter=100000).fit(X, y)
out["binary_proba"] = lr.predict_proba(vec.transform(test)).tolist()
out["binary_coef"] = lr.coef_[0].tolist()
out["binary_intercept"] = float(lr.intercept_[0])
# Three classes: split the negatives by whether they mention pain.
y3 = [l if l == 1 else (2 if "pain" in t.lower() else 0) for t, l in train]
lr3 = LogisticRegression(C=10.0, tol=1e-12, max_iter=100000).fit(X, y3)
out["multi_labels"] = y3
out["multi_C"] = 10.0
out["multi_proba"] = lr3.predict_proba(vec.transform(test)).tolist()
print(json.dumps(out, indent=1))
