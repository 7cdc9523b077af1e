package tensorboard

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// maxRecord bounds the size of one record that ReadScalars accepts; the
// Events written here are a few hundred bytes.
const maxRecord = 16 << 20

// ErrCorrupt is wrapped by the errors of ReadScalars for a record whose
// checksum does not match or whose length is out of bounds.
var ErrCorrupt = errors.New("corrupt event record")

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// maskedCRC is the TFRecord checksum of b: its CRC-32C, rotated right by 15
// bits plus a constant, so that a CRC of data holding CRCs stays strong.
func maskedCRC(b []byte) uint32 {
	c := crc32.Checksum(b, castagnoli)
	return (c>>15 | c<<17) + 0xa282ead8
}

// writeRecord frames data as one TFRecord.
func writeRecord(w io.Writer, data []byte) error {
	var head [12]byte
	binary.LittleEndian.PutUint64(head[:8], uint64(len(data)))
	binary.LittleEndian.PutUint32(head[8:], maskedCRC(head[:8]))
	var foot [4]byte
	binary.LittleEndian.PutUint32(foot[:], maskedCRC(data))
	if _, err := w.Write(head[:]); err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		return err
	}
	_, err := w.Write(foot[:])
	return err
}

// recordReader reads TFRecords one at a time.
type recordReader struct {
	r   *bufio.Reader
	off int64 // offset of the next record
	buf []byte
}

// next returns the next record's data, valid until the following call.
// At the end of the input it returns io.EOF; a record cut short by the end
// of the input (a writer that has not flushed, or crashed) is also io.EOF.
func (rr *recordReader) next() ([]byte, error) {
	var head [12]byte
	if _, err := io.ReadFull(rr.r, head[:]); err != nil {
		if err == io.ErrUnexpectedEOF {
			err = io.EOF
		}
		return nil, err
	}
	if got, want := binary.LittleEndian.Uint32(head[8:]), maskedCRC(head[:8]); got != want {
		return nil, fmt.Errorf("record at byte %d: length checksum %08x, want %08x: %w", rr.off, got, want, ErrCorrupt)
	}
	n := binary.LittleEndian.Uint64(head[:8])
	if n > maxRecord {
		return nil, fmt.Errorf("record at byte %d: length %d exceeds the limit of %d bytes: %w", rr.off, n, maxRecord, ErrCorrupt)
	}
	if cap(rr.buf) < int(n)+4 {
		rr.buf = make([]byte, int(n)+4)
	}
	b := rr.buf[:int(n)+4]
	if _, err := io.ReadFull(rr.r, b); err != nil {
		if err == io.ErrUnexpectedEOF {
			err = io.EOF
		}
		return nil, err
	}
	data := b[:n]
	if got, want := binary.LittleEndian.Uint32(b[n:]), maskedCRC(data); got != want {
		return nil, fmt.Errorf("record at byte %d: data checksum %08x, want %08x: %w", rr.off, got, want, ErrCorrupt)
	}
	rr.off += 12 + int64(n) + 4
	return data, nil
}
