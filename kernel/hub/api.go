package hub

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"
)

// maxResponse bounds what the client reads of one REST response.
const maxResponse = 32 << 20

// APIError is a REST call the hub or a learner's server refused.
type APIError struct {
	Method, URL string
	Status      int
	Body        string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("hub: %s %s: %d %s", e.Method, e.URL, e.Status, e.Body)
}

// Learner is a client of the hub's REST API and of one learner's server,
// authenticated with that learner's token.
type Learner struct {
	// Name is the learner's name on the hub.
	Name string
	// Token is the learner's API token.
	Token string
	base  string
	http  *http.Client
}

// Login logs name in at the hub at hubURL with the shared password, as a
// browser does (the login form; JupyterHub creates the learner at the
// first login), and then creates an API token for the learner through the
// REST API, authenticating the request with the same name and password.
func Login(ctx context.Context, hubURL, name, password string) (*Learner, error) {
	jar, _ := cookiejar.New(nil)
	l := &Learner{Name: name, base: strings.TrimSuffix(hubURL, "/"), http: &http.Client{
		Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse // the hub would spawn the server
		},
	}}
	if err := l.formLogin(ctx, password); err != nil {
		return nil, err
	}
	var tok struct {
		Token string `json:"token"`
	}
	body := map[string]any{
		"auth":       map[string]string{"username": name, "password": password},
		"note":       "founderlab workshop",
		"expires_in": 12 * 3600,
	}
	if err := l.do(ctx, http.MethodPost, "/hub/api/users/"+url.PathEscape(name)+"/tokens", body, &tok); err != nil {
		return nil, err
	}
	if tok.Token == "" {
		return nil, fmt.Errorf("hub: login of %s: no token in the answer", name)
	}
	l.Token = tok.Token
	return l, nil
}

// formLogin posts the hub's login form with its XSRF token.
func (l *Learner) formLogin(ctx context.Context, password string) error {
	u := l.base + "/hub/login"
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	resp, err := l.http.Do(req)
	if err != nil {
		return fmt.Errorf("hub: GET %s: %w", u, err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponse))
	resp.Body.Close()
	xsrf := ""
	for _, c := range l.http.Jar.Cookies(req.URL) {
		if c.Name == "_xsrf" {
			xsrf = c.Value
		}
	}
	form := url.Values{"username": {l.Name}, "password": {password}, "_xsrf": {xsrf}}
	req, _ = http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = l.http.Do(req)
	if err != nil {
		return fmt.Errorf("hub: POST %s: %w", u, err)
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		return &APIError{Method: http.MethodPost, URL: u, Status: resp.StatusCode, Body: "login refused: " + firstLine(string(b))}
	}
	return nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// do sends a JSON request and decodes a JSON answer into out (when not nil).
func (l *Learner) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	u := l.base + path
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if l.Token != "" {
		req.Header.Set("Authorization", "token "+l.Token)
	} else if l.http.Jar != nil {
		// Logged in with the form: the session cookie authenticates,
		// and JupyterHub wants the XSRF token with it.
		for _, c := range l.http.Jar.Cookies(req.URL) {
			if c.Name == "_xsrf" {
				req.Header.Set("X-XSRFToken", c.Value)
			}
		}
	}
	resp, err := l.http.Do(req)
	if err != nil {
		return fmt.Errorf("hub: %s %s: %w", method, u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return fmt.Errorf("hub: %s %s: %w", method, u, err)
	}
	if len(b) > maxResponse {
		return fmt.Errorf("hub: %s %s: answer larger than %d bytes", method, u, maxResponse)
	}
	if resp.StatusCode/100 != 2 {
		return &APIError{Method: method, URL: u, Status: resp.StatusCode, Body: strings.TrimSpace(string(b))}
	}
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("hub: %s %s: %w", method, u, err)
		}
	}
	return nil
}

// StartServer asks the hub to start the learner's server and waits until
// it is ready or ctx ends.
func (l *Learner) StartServer(ctx context.Context) error {
	err := l.do(ctx, http.MethodPost, "/hub/api/users/"+url.PathEscape(l.Name)+"/server", nil, nil)
	if e, ok := err.(*APIError); ok && e.Status == http.StatusBadRequest && strings.Contains(e.Body, "already running") {
		err = nil
	}
	if err != nil {
		return err
	}
	for {
		var u struct {
			Servers map[string]struct {
				Ready   bool `json:"ready"`
				Pending any  `json:"pending"`
			} `json:"servers"`
		}
		if err := l.do(ctx, http.MethodGet, "/hub/api/users/"+url.PathEscape(l.Name), nil, &u); err != nil {
			return err
		}
		s, ok := u.Servers[""]
		if ok && s.Ready {
			return nil
		}
		if !ok {
			return fmt.Errorf("hub: the server of %s stopped while starting (see the hub's log)", l.Name)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("hub: waiting for the server of %s: %w", l.Name, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// StopServer asks the hub to stop the learner's server.
func (l *Learner) StopServer(ctx context.Context) error {
	return l.do(ctx, http.MethodDelete, "/hub/api/users/"+url.PathEscape(l.Name)+"/server", nil, nil)
}

// serverPath is path on the learner's own server, through the hub's proxy.
func (l *Learner) serverPath(path string) string {
	return "/user/" + url.PathEscape(l.Name) + path
}

// StartKernel starts a kernel of the named spec on the learner's server
// and returns its id.
func (l *Learner) StartKernel(ctx context.Context, spec string) (string, error) {
	var k struct {
		ID string `json:"id"`
	}
	if err := l.do(ctx, http.MethodPost, l.serverPath("/api/kernels"), map[string]string{"name": spec}, &k); err != nil {
		return "", err
	}
	return k.ID, nil
}

// DeleteKernel shuts the kernel down.
func (l *Learner) DeleteKernel(ctx context.Context, id string) error {
	return l.do(ctx, http.MethodDelete, l.serverPath("/api/kernels/"+url.PathEscape(id)), nil, nil)
}

// Notebook reads the notebook at path (relative to the learner's home)
// through the server's contents API, as nbformat JSON.
func (l *Learner) Notebook(ctx context.Context, path string) (json.RawMessage, error) {
	var m struct {
		Content json.RawMessage `json:"content"`
	}
	if err := l.do(ctx, http.MethodGet, l.serverPath("/api/contents/"+escapePath(path)+"?content=1&type=notebook"), nil, &m); err != nil {
		return nil, err
	}
	return m.Content, nil
}

// SaveNotebook writes nb (nbformat JSON) to path through the server's
// contents API, as JupyterLab's save does.
func (l *Learner) SaveNotebook(ctx context.Context, path string, nb json.RawMessage) error {
	body := map[string]any{"type": "notebook", "format": "json", "content": nb}
	return l.do(ctx, http.MethodPut, l.serverPath("/api/contents/"+escapePath(path)), body, nil)
}

func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}
