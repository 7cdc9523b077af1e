// Package jupyter implements the client side of the Jupyter messaging
// protocol (version 5.3) over ZeroMQ: the wire format with HMAC-SHA256
// signatures, connection files, and a Client that talks to a running kernel
// on its shell, control, stdin, iopub and heartbeat channels.
//
// A message travels as a multipart ZeroMQ message:
//
//	[routing identities...] "<IDS|MSG>" signature header parent_header metadata content [buffers...]
//
// where signature is the lowercase hex HMAC-SHA256, keyed by the connection
// file's key, of the four JSON frames header, parent_header, metadata and
// content, in that order. [Encode] produces these frames and [Decode] parses
// and verifies them; a message with a bad signature is rejected, never
// delivered. An empty key disables signing, as the protocol specifies.
//
// Reference: https://jupyter-client.readthedocs.io/en/stable/messaging.html
package jupyter

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// ProtocolVersion is the messaging protocol version this client speaks.
const ProtocolVersion = "5.3"

// delimiter separates routing identities from the message proper.
var delimiter = []byte("<IDS|MSG>")

// Header is a message header (also used as parent header).
type Header struct {
	MsgID    string `json:"msg_id"`
	Session  string `json:"session"`
	Username string `json:"username"`
	Date     string `json:"date"`
	MsgType  string `json:"msg_type"`
	Version  string `json:"version"`
}

// Message is one Jupyter message.
type Message struct {
	// Identities are the ZeroMQ routing prefixes (empty on client sockets).
	Identities [][]byte
	Header     Header
	// Parent is the header of the request this message answers; zero if none.
	Parent   Header
	Metadata map[string]any
	// Content is the message body, kept raw so callers can decode it into
	// the struct of their message type.
	Content json.RawMessage
	Buffers [][]byte
}

// ErrBadSignature is returned by [Decode] when a message's HMAC does not match.
var ErrBadSignature = errors.New("jupyter: bad message signature")

// NewID returns a random message or session id (32 hex digits, UUID-sized).
func NewID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b[:])
}

// NewMessage returns a message of the given type in session, with a fresh id
// and the current time. content is marshalled to JSON.
func NewMessage(session, msgType string, content any) (*Message, error) {
	raw, err := json.Marshal(content)
	if err != nil {
		return nil, fmt.Errorf("jupyter: marshal %s content: %w", msgType, err)
	}
	return &Message{
		Header: Header{
			MsgID:    NewID(),
			Session:  session,
			Username: "founderlab",
			Date:     time.Now().UTC().Format(time.RFC3339Nano),
			MsgType:  msgType,
			Version:  ProtocolVersion,
		},
		Metadata: map[string]any{},
		Content:  raw,
	}, nil
}

// Sign returns the hex HMAC-SHA256 of parts under key, or "" if key is empty.
func Sign(key []byte, parts ...[]byte) string {
	if len(key) == 0 {
		return ""
	}
	mac := hmac.New(sha256.New, key)
	for _, p := range parts {
		mac.Write(p)
	}
	return hex.EncodeToString(mac.Sum(nil))
}

// Encode returns the wire frames of m signed with key.
func Encode(m *Message, key []byte) ([][]byte, error) {
	header, err := json.Marshal(m.Header)
	if err != nil {
		return nil, fmt.Errorf("jupyter: marshal header: %w", err)
	}
	parent := []byte("{}")
	if m.Parent.MsgID != "" {
		if parent, err = json.Marshal(m.Parent); err != nil {
			return nil, fmt.Errorf("jupyter: marshal parent header: %w", err)
		}
	}
	meta := m.Metadata
	if meta == nil {
		meta = map[string]any{}
	}
	metadata, err := json.Marshal(meta)
	if err != nil {
		return nil, fmt.Errorf("jupyter: marshal metadata: %w", err)
	}
	content := []byte(m.Content)
	if len(content) == 0 {
		content = []byte("{}")
	}
	frames := make([][]byte, 0, len(m.Identities)+6+len(m.Buffers))
	frames = append(frames, m.Identities...)
	frames = append(frames, delimiter, []byte(Sign(key, header, parent, metadata, content)),
		header, parent, metadata, content)
	frames = append(frames, m.Buffers...)
	return frames, nil
}

// Decode parses wire frames and verifies their signature under key.
func Decode(frames [][]byte, key []byte) (*Message, error) {
	i := 0
	for i < len(frames) && !bytes.Equal(frames[i], delimiter) {
		i++
	}
	if i == len(frames) {
		return nil, errors.New("jupyter: malformed message: no <IDS|MSG> delimiter")
	}
	rest := frames[i+1:]
	if len(rest) < 5 {
		return nil, fmt.Errorf("jupyter: malformed message: %d frames after the delimiter, want at least 5", len(rest))
	}
	sig, header, parent, metadata, content := rest[0], rest[1], rest[2], rest[3], rest[4]
	if len(key) > 0 {
		want := Sign(key, header, parent, metadata, content)
		got := make([]byte, hex.DecodedLen(len(sig)))
		if n, err := hex.Decode(got, sig); err != nil || n != sha256.Size {
			return nil, ErrBadSignature
		}
		wantBytes, _ := hex.DecodeString(want)
		if !hmac.Equal(got, wantBytes) {
			return nil, ErrBadSignature
		}
	}
	m := &Message{Identities: frames[:i], Content: append(json.RawMessage(nil), content...)}
	if err := json.Unmarshal(header, &m.Header); err != nil {
		return nil, fmt.Errorf("jupyter: malformed header: %w", err)
	}
	if len(parent) > 0 && !bytes.Equal(parent, []byte("{}")) {
		if err := json.Unmarshal(parent, &m.Parent); err != nil {
			return nil, fmt.Errorf("jupyter: malformed parent header: %w", err)
		}
	}
	if err := json.Unmarshal(metadata, &m.Metadata); err != nil {
		return nil, fmt.Errorf("jupyter: malformed metadata: %w", err)
	}
	if len(rest) > 5 {
		m.Buffers = rest[5:]
	}
	return m, nil
}
