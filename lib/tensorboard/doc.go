// Package tensorboard writes training scalars as TensorBoard event files and
// reads them back.
//
// TensorBoard (https://www.tensorflow.org/tensorboard) shows the scalars of
// every run found under its log directory:
//
//	tensorboard --logdir runs
//
// A run is a directory; each [Writer] creates one event file in it, named
// events.out.tfevents.<seconds>.<host>.<pid>.founderlab so that two writers
// never share a file. The file is a sequence of TFRecords, each holding one
// serialized Event protocol buffer:
//
//	uint64 length (little endian)
//	uint32 masked CRC-32C of the length bytes
//	length bytes of data (the Event)
//	uint32 masked CRC-32C of the data
//
// where a CRC c is masked as ((c >> 15) | (c << 17)) + 0xa282ead8. The first
// Event names the format ("brain.Event:2"); every other one carries a step,
// a wall time and a Summary of tagged values. Scalars are Summary values
// with a simple_value (a float32), which TensorBoard's scalar dashboard
// reads directly.
//
// The protocol buffers are built with the Go protobuf library
// (google.golang.org/protobuf) from a descriptor of the fields this package
// uses, declared in proto.go with TensorBoard's field numbers; no generated
// code and no hand-made encoding.
//
// Event files are append-only logs that TensorBoard reads while training
// writes them, so they are not written atomically: a Writer buffers records
// and [Writer.Flush] (or Close) makes them visible; a crash loses at most
// the records since the last flush, and [ReadScalars] stops cleanly at a
// truncated last record. [ReadScalars] checks every CRC and bounds the
// record size, so a damaged or hostile file gives an error, not a large
// allocation.
package tensorboard
