package jupyter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/go-zeromq/zmq4"
)

// Client talks to one running kernel. It is safe for concurrent use, but a
// kernel executes one request at a time, so callers usually serialise.
type Client struct {
	info    *ConnectionInfo
	key     []byte
	session string

	cancel  context.CancelFunc
	closedc chan struct{} // closed by Close
	shell   zmq4.Socket
	control zmq4.Socket
	iopub   zmq4.Socket

	mu      sync.Mutex
	sendMu  sync.Mutex
	pending map[string]*call // by request msg_id
	closed  bool
	wg      sync.WaitGroup
}

// call is a request waiting for its reply and for its iopub messages.
type call struct {
	reply  chan *Message
	onIO   func(*Message)
	idle   chan struct{} // closed on iopub status "idle"
	isIdle bool
}

// Dial connects to the kernel described by info. It does not wait for the
// kernel to be ready; see [Client.WaitReady]. It retries for up to a minute
// while the kernel's ports are not open yet; see [DialContext] to stop
// earlier.
func Dial(info *ConnectionInfo) (*Client, error) {
	return DialContext(context.Background(), info)
}

// DialContext is [Dial] that gives up when ctx ends before the connections
// are made (a kernel that died while starting, a user who stopped waiting).
// Once it has returned, ctx no longer matters.
func DialContext(dctx context.Context, info *ConnectionInfo) (*Client, error) {
	ctx, cancel := context.WithCancel(context.Background())
	stop := context.AfterFunc(dctx, cancel)
	defer stop()
	session := NewID()
	opts := []zmq4.Option{zmq4.WithDialerRetry(100 * time.Millisecond), zmq4.WithDialerMaxRetries(600)}
	c := &Client{
		info: info, key: []byte(info.Key), session: session, cancel: cancel, closedc: make(chan struct{}),
		shell:   zmq4.NewDealer(ctx, append(opts, zmq4.WithID(zmq4.SocketIdentity("shell-"+session)))...),
		control: zmq4.NewDealer(ctx, append(opts, zmq4.WithID(zmq4.SocketIdentity("control-"+session)))...),
		iopub:   zmq4.NewSub(ctx, opts...),
		pending: map[string]*call{},
	}
	if err := c.iopub.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		c.Close()
		return nil, fmt.Errorf("jupyter: subscribe iopub: %w", err)
	}
	for _, s := range []struct {
		sock zmq4.Socket
		port int
		name string
	}{{c.shell, info.ShellPort, "shell"}, {c.control, info.ControlPort, "control"}, {c.iopub, info.IOPubPort, "iopub"}} {
		if err := s.sock.Dial(info.Addr(s.port)); err != nil {
			c.Close()
			if dctx.Err() != nil {
				err = dctx.Err()
			}
			return nil, fmt.Errorf("jupyter: connect %s channel at %s: %w", s.name, info.Addr(s.port), err)
		}
	}
	c.wg.Add(3)
	go c.readReplies(c.shell)
	go c.readReplies(c.control)
	go c.readIOPub()
	return c, nil
}

// Session returns the client's session id.
func (c *Client) Session() string { return c.session }

// ErrClosed is returned by requests made on, or waiting on, a closed client.
var ErrClosed = errors.New("jupyter: client closed")

// Close disconnects from the kernel; it does not stop it. Requests waiting
// for a reply return [ErrClosed].
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	close(c.closedc)
	c.mu.Unlock()
	c.cancel()
	for _, s := range []zmq4.Socket{c.shell, c.control, c.iopub} {
		if s != nil {
			s.Close()
		}
	}
	c.wg.Wait()
	return nil
}

func (c *Client) readReplies(sock zmq4.Socket) {
	defer c.wg.Done()
	for {
		msg, err := sock.Recv()
		if err != nil {
			return
		}
		m, err := Decode(msg.Frames, c.key)
		if err != nil {
			continue // unsigned or malformed: never delivered
		}
		c.mu.Lock()
		p := c.pending[m.Parent.MsgID]
		c.mu.Unlock()
		if p != nil {
			select {
			case p.reply <- m:
			default:
			}
		}
	}
}

func (c *Client) readIOPub() {
	defer c.wg.Done()
	for {
		msg, err := c.iopub.Recv()
		if err != nil {
			return
		}
		m, err := Decode(msg.Frames, c.key)
		if err != nil {
			continue
		}
		c.mu.Lock()
		p := c.pending[m.Parent.MsgID]
		c.mu.Unlock()
		if p == nil {
			continue
		}
		if p.onIO != nil {
			p.onIO(m)
		}
		if m.Header.MsgType == "status" {
			var st struct {
				ExecutionState string `json:"execution_state"`
			}
			if json.Unmarshal(m.Content, &st) == nil && st.ExecutionState == "idle" {
				c.mu.Lock()
				if !p.isIdle {
					p.isIdle = true
					close(p.idle)
				}
				c.mu.Unlock()
			}
		}
	}
}

// Channel names a request channel.
type Channel int

// Request channels.
const (
	Shell Channel = iota
	Control
)

// Request sends a request of msgType with content on ch and waits for its
// reply. onIO, if not nil, receives the iopub messages the request causes
// (on the reading goroutine: it must not block). When waitIdle is true,
// Request also waits for the kernel's iopub "idle" status for the request,
// so that every output has been delivered when it returns. It returns
// early with ctx's error when ctx ends, and with [ErrClosed] when the
// client is closed: a kernel that never answers cannot block the caller
// beyond either.
func (c *Client) Request(ctx context.Context, ch Channel, msgType string, content any, onIO func(*Message), waitIdle bool) (*Message, error) {
	m, err := NewMessage(c.session, msgType, content)
	if err != nil {
		return nil, err
	}
	p := &call{reply: make(chan *Message, 1), onIO: onIO, idle: make(chan struct{})}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil, ErrClosed
	}
	c.pending[m.Header.MsgID] = p
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.pending, m.Header.MsgID)
		c.mu.Unlock()
	}()
	frames, err := Encode(m, c.key)
	if err != nil {
		return nil, err
	}
	sock := c.shell
	if ch == Control {
		sock = c.control
	}
	c.sendMu.Lock()
	err = sock.Send(zmq4.NewMsgFrom(frames...))
	c.sendMu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("jupyter: send %s: %w", msgType, err)
	}
	var reply *Message
	select {
	case reply = <-p.reply:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-c.closedc:
		return nil, ErrClosed
	}
	if waitIdle {
		select {
		case <-p.idle:
		case <-ctx.Done():
			return reply, ctx.Err()
		case <-c.closedc:
			return reply, ErrClosed
		}
	}
	return reply, nil
}

// KernelInfo asks the kernel for its kernel_info_reply content.
func (c *Client) KernelInfo(ctx context.Context) (map[string]any, error) {
	r, err := c.Request(ctx, Shell, "kernel_info_request", map[string]any{}, nil, false)
	if err != nil {
		return nil, err
	}
	var info map[string]any
	if err := json.Unmarshal(r.Content, &info); err != nil {
		return nil, fmt.Errorf("jupyter: kernel_info_reply: %w", err)
	}
	return info, nil
}

// WaitReady sends kernel_info requests until the kernel answers on shell and
// its iopub messages reach us (the subscription is live), or ctx ends.
func (c *Client) WaitReady(ctx context.Context) error {
	for {
		try, cancel := context.WithTimeout(ctx, 2*time.Second)
		_, err := c.Request(try, Shell, "kernel_info_request", map[string]any{}, nil, true)
		cancel()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("jupyter: kernel not ready: %w", ctx.Err())
		}
	}
}

// ExecuteRequest is the content of an execute_request.
type ExecuteRequest struct {
	Code            string         `json:"code"`
	Silent          bool           `json:"silent"`
	StoreHistory    bool           `json:"store_history"`
	UserExpressions map[string]any `json:"user_expressions"`
	AllowStdin      bool           `json:"allow_stdin"`
	StopOnError     bool           `json:"stop_on_error"`
}

// ExecuteReply is the content of an execute_reply.
type ExecuteReply struct {
	Status         string   `json:"status"`
	ExecutionCount int      `json:"execution_count"`
	EName          string   `json:"ename"`
	EValue         string   `json:"evalue"`
	Traceback      []string `json:"traceback"`
}

// Execute runs code and waits until the kernel is idle again. onIO receives
// every iopub message of the execution (streams, display data, errors).
func (c *Client) Execute(ctx context.Context, code string, onIO func(*Message)) (*ExecuteReply, error) {
	r, err := c.Request(ctx, Shell, "execute_request", ExecuteRequest{
		Code: code, StoreHistory: true, UserExpressions: map[string]any{}, StopOnError: true,
	}, onIO, true)
	if err != nil {
		return nil, err
	}
	var rep ExecuteReply
	if err := json.Unmarshal(r.Content, &rep); err != nil {
		return nil, fmt.Errorf("jupyter: execute_reply: %w", err)
	}
	return &rep, nil
}

// Interrupt sends an interrupt_request on the control channel and waits
// for the reply until ctx ends (some kernels answer late or never: give it
// a deadline).
func (c *Client) Interrupt(ctx context.Context) error {
	_, err := c.Request(ctx, Control, "interrupt_request", map[string]any{}, nil, false)
	return err
}

// Shutdown asks the kernel to exit (or restart, when restart is true).
func (c *Client) Shutdown(ctx context.Context, restart bool) error {
	_, err := c.Request(ctx, Control, "shutdown_request", map[string]any{"restart": restart}, nil, false)
	return err
}
