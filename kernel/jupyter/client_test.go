package jupyter

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// fakeKernel is a minimal kernel on real ZeroMQ sockets: it answers
// kernel_info and execute requests and publishes a stream output; it also
// publishes one message signed with the wrong key, which the client must drop.
func fakeKernel(t *testing.T, info *ConnectionInfo) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	shell := zmq4.NewRouter(ctx)
	pub := zmq4.NewPub(ctx)
	control := zmq4.NewRouter(ctx)
	for _, s := range []struct {
		sock zmq4.Socket
		port int
	}{{shell, info.ShellPort}, {pub, info.IOPubPort}, {control, info.ControlPort}} {
		if err := s.sock.Listen(info.Addr(s.port)); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { shell.Close(); pub.Close(); control.Close() })
	key := []byte(info.Key)
	publish := func(parent Header, typ string, content any, k []byte) {
		m, _ := NewMessage("kernel", typ, content)
		m.Parent = parent
		f, _ := Encode(m, k)
		pub.Send(zmq4.NewMsgFrom(f...))
	}
	go func() {
		for {
			raw, err := shell.Recv()
			if err != nil {
				return
			}
			req, err := Decode(raw.Frames, key)
			if err != nil {
				continue
			}
			publish(req.Header, "status", map[string]any{"execution_state": "busy"}, key)
			var reply any = map[string]any{"status": "ok", "implementation": "fake"}
			if req.Header.MsgType == "execute_request" {
				var ex ExecuteRequest
				json.Unmarshal(req.Content, &ex)
				publish(req.Header, "stream", map[string]any{"name": "stdout", "text": "forged\n"}, []byte("wrong"))
				publish(req.Header, "stream", map[string]any{"name": "stdout", "text": "ran: " + ex.Code + "\n"}, key)
				reply = map[string]any{"status": "ok", "execution_count": 7}
			}
			m, _ := NewMessage("kernel", req.Header.MsgType[:len(req.Header.MsgType)-len("request")]+"reply", reply)
			m.Parent = req.Header
			m.Identities = req.Identities
			f, _ := Encode(m, key)
			shell.Send(zmq4.NewMsgFrom(f...))
			publish(req.Header, "status", map[string]any{"execution_state": "idle"}, key)
		}
	}()
}

func TestClientAgainstFakeKernel(t *testing.T) {
	info, err := NewConnectionInfo("fake")
	if err != nil {
		t.Fatal(err)
	}
	fakeKernel(t, info)
	c, err := Dial(info)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := c.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	var texts []string
	rep, err := c.Execute(ctx, "1+1", func(m *Message) {
		if m.Header.MsgType == "stream" {
			var s struct{ Text string }
			json.Unmarshal(m.Content, &s)
			texts = append(texts, s.Text)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Status != "ok" || rep.ExecutionCount != 7 {
		t.Fatalf("reply = %+v", rep)
	}
	if len(texts) != 1 || texts[0] != "ran: 1+1\n" {
		t.Fatalf("outputs = %q (the forged message must be dropped)", texts)
	}
}
