// Package monitor watches a stream of financial news and posts for surges
// of negative sentiment, as the seed's §6.2 does: a language model judges
// each text bearish, bullish or neutral, the texts are tagged with topics,
// sentiment is tracked per topic over time, and an alert is raised when the
// bearish share of a topic surges.
//
// # Classifier
//
// Train fits one of three classifiers (Mode) of lib/textclass/classifier
// on labelled texts such as fin-sentiment's (datasets.LoadFinSentiment):
// TFIDF (a bag of words and a multinomial logistic regression), Embed (a
// logistic regression on all-MiniLM-L6-v2 sentence embeddings, mean
// pooling) and FineTune (MiniLM fine-tuned end to end with a 3-class
// head, lib/bert/finetune). Evaluate reports accuracy, macro-F1 and each
// class's precision and recall with lib/metrics.
//
// # Topics
//
// Topics.Tag gives each text its topics: the cashtags it mentions ("$AAPL"),
// the keyword topics whose words it contains (rates, earnings, crypto,
// ratings, macro, energy in DefaultTopics) and All, the whole stream.
//
// # Stream monitor
//
// A Monitor takes events (time, text) in time order; an earlier event, an
// empty or invalid UTF-8 text is an *EventError naming the event. Events
// fall in buckets of Options.Bucket (one hour by default); the texts of a
// bucket are classified in batches, and when the bucket closes each
// topic's count n and bearish count x go to the topic's detector, a
// Bernoulli CUSUM (Page 1954) on the bearish share. By default x is the sum
// of the texts' bearish probabilities (Counting: Probabilities), which lets
// a bearish tweet the classifier calls neutral still count for some; Labels
// counts the texts classified bearish.
//
//	p₀ = Σ w·x / Σ w·n       the expected share: exponentially weighted counts
//	                          of the topic's past buckets (half-life a week)
//	p₁ = r·p₀                the surge it is designed for (r = Ratio, 2)
//	S  = max(0, S + x·ln(p₁/p₀) + (n−x)·ln((1−p₁)/(1−p₀)))
//
// S adds up the log-likelihood ratio of "surge" against "normal" bucket by
// bucket, so a quiet bucket moves it little and a busy one a lot; an alert
// is raised when S ≥ h (Threshold, 2.5 by default), the bucket holds at
// least MinVolume (5) texts and its share exceeds p₀. That opens an
// episode: the topic raises no further alert until S, capped at 2h, has
// come back to 0, so a surge pages once and its tail does not page again
// (an episode that lasts over a day lets the baseline learn the new
// level). The defaults were chosen with `go run ./bench/monitor -sweep` on
// simulated streams of several seeds, surge sizes and volumes. The
// baseline is calibrated from the stream itself: a topic stays silent
// until it has seen WarmupEvents texts in WarmupBuckets buckets, and the
// buckets of an alert episode do not update it, so a surge does not become
// the new normal. (Leaving out every bucket with a raised S instead biases
// p₀ low, since it drops the high side of normal noise, and raised the
// false alarms.) Topics other than All alert at h + ln K, K the
// number of warm topics, so that many small topics do not multiply false
// alarms. Each bucket also updates a negative-share index, an EWMA of the
// share, for charts (Monitor.Series).
//
// An Alert says when (the bucket's start), which topic, the observed and
// expected shares, the counts, and quotes the bearish texts that drove it;
// WriteAlerts writes alerts as JSON lines.
//
// # Backtest
//
// fin-sentiment has no timestamps, so Simulate builds a stream from real
// texts: Poisson volumes with a daily rhythm, texts drawn at the data's
// label balance, and injected surges of known start and length in which the
// bearish share is Ratio (3) times the usual one at the same volume.
// ScoreAlerts measures detection delay, missed surges and false alerts per
// week against the known windows, and TradeOff sweeps detector settings
// over many such streams. Cached classifies a stream's repeated texts once.
package monitor
