// Package classifier holds the text classifiers that the course's
// chapters share: each maps texts to probabilities over a fixed set of
// classes, whatever the classes mean. lib/intent uses them for
// Banking77's customer-service intents (the seed's §6.1) and lib/monitor
// for financial sentiment (§6.2).
//
// # Classifiers
//
// A [Classifier] gives each text the probability of each of its classes,
// in the order of Classes (the distinct category names of the training
// texts, sorted, as [Labels] numbers them). Three are provided:
//
//   - [Embedding]: sentence embeddings of a pretrained encoder (an
//     [Embedder], such as lib/bert's all-MiniLM-L6-v2 with mean pooling)
//     and a multinomial logistic regression on them (textclass.FitDense,
//     L2 penalty 1/C, C = 10 by default). The linear part alone is a
//     [Linear], fitted on vectors ([FitLinear]), so that embeddings
//     computed once serve many fits. A Linear also keeps each class's
//     unit-length mean embedding and the unit-length training vectors, and
//     scores a vector by its cosine similarity to the nearest of either
//     ([Linear.CentroidScores], [Linear.NeighborScores]), the raw material
//     of lib/intent's out-of-scope scores.
//   - [TFIDF]: the bag-of-words baseline, TF-IDF and logistic regression
//     (textclass.Fit, C = 10; [FitTFIDF]).
//   - [FineTuned]: BertForSequenceClassification fine-tuned end to end with
//     lib/bert/finetune ([FineTune]; [SplitDev] makes its dev split).
//
// [Predict] turns rows of probabilities into the most probable class and
// its probability. Every classifier checks its texts with [CheckTexts]: an
// empty text, one longer than [MaxTextBytes] or one that is not valid
// UTF-8 is an error wrapping [ErrBadText] that names the text's index.
//
// # Why a package of its own
//
// These types lived in lib/intent, so lib/monitor imported the
// customer-service assistant to classify sentiment. They sit here, under
// lib/textclass, rather than in lib/textclass itself for two reasons:
// lib/textclass already names its TF-IDF vectorizer TFIDF and its TF-IDF
// model Classifier, and it is pure Go with no dependency on lib/bert and
// GoMLX, which [FineTune] needs. lib/bert does not import this package, so
// there is no import cycle.
package classifier
