// Package intent is the customer-service assistant of the seed's §6.1: it
// recognises a customer's intent among a fixed set (Banking77's 77 banking
// intents; Casanueva et al. 2020, "Efficient Intent Detection with Dual
// Sentence Encoders", https://arxiv.org/abs/2003.04807), refuses what
// belongs to none of them, and answers from a template, from a small FAQ
// knowledge base, or by handing over to a human.
//
// # Classifiers
//
// A [Classifier] maps texts to probabilities over its intents. Three are
// provided:
//
//   - [Embedding]: sentence embeddings of a pretrained encoder (lib/bert's
//     all-MiniLM-L6-v2, mean pooling, unit length) and a multinomial
//     logistic regression on them (textclass.FitDense, L2 penalty 1/C,
//     C = 10 by default). The linear part alone is a [Linear], fitted on
//     vectors, so that embeddings computed once serve many fits.
//   - [TFIDF]: the bag-of-words baseline, TF-IDF and logistic regression
//     (textclass.Fit).
//   - [FineTuned]: BertForSequenceClassification fine-tuned end to end with
//     lib/bert/finetune ([FineTune]).
//
// # Out-of-scope detection
//
// A query that belongs to no intent still gets a most probable intent; the
// assistant must notice that it is out of scope. Each query gets an
// in-scope score s, and s < τ rejects it. Two scores ([Scorer]):
//
//   - [MaxProb], the maximum softmax probability max_k p_k (Hendrycks and
//     Gimpel 2017, "A Baseline for Detecting Misclassified and
//     Out-of-Distribution Examples", https://arxiv.org/abs/1610.02136);
//   - [CentroidCosine], the cosine similarity of the query's embedding to
//     the nearest intent centroid, max_k cos(e, μ_k) with μ_k the mean
//     embedding of intent k's training queries (a nearest-class-mean
//     score, as in the centroid and distance-based open-intent methods of
//     Zhang, Xu and Lin 2021, "Deep Open Intent Classification with
//     Adaptive Decision Boundary", https://arxiv.org/abs/2012.10209).
//
// The threshold τ is chosen without any out-of-scope data, by the
// open-intent protocol of Shu, Xu and Liu 2017 ("DOC: Deep Open
// Classification of Text Documents", https://arxiv.org/abs/1709.08716) and
// Zhang et al. 2021: a seeded random subset of the intents (25 % by
// default) is held out of training as "unknown"; the classifier is fitted
// on the rest of the known intents' training queries, and τ is the
// quantile of the scores of a held-out validation part of the known
// intents' queries at the target false-rejection rate r:
//
//	τ = the r-quantile of {s(x) : x in-scope validation}   (so a fraction ≈ r of in-scope queries is rejected)
//
// [Evaluate] repeats this for several seeds and reports, on the test
// queries, the accuracy on known intents, the in-scope false-rejection
// rate and the out-of-scope recall (the fraction of the held-out intents'
// queries rejected), with mean and standard deviation over the seeds
// ([Summarize]). [Calibrate] gives the threshold of the final assistant,
// fitted on every intent: the mean over seeds of the per-seed τ.
//
// # Answers
//
// [Answers] maps each intent to a one-line template ([DefaultAnswers]
// holds one for each of Banking77's intents). [Assistant.Reply] answers a
// query with its intent's template when its score reaches τ
// ([ReasonIntent]); otherwise it searches the FAQ knowledge base
// ([FAQEntry], by cosine similarity of embeddings) and answers with the
// nearest entry when it is similar enough ([ReasonRetrieved]), and hands
// over to a human otherwise ([ReasonHandOver]). [Assistant.ReplyAll]
// answers many queries in one batch.
package intent
