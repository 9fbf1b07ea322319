package goalert

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/standby-oncall/standby/internal/source"
	"github.com/standby-oncall/standby/internal/source/sourcehttp"
)

// loginPath is the basic identity provider's endpoint.
const loginPath = "/api/v2/identity/providers/basic"

// maxToken bounds the login answer (a session token is ~100 bytes).
const maxToken = 4096

// current returns the session token, logging in when there is none.
func (s *Source) current(ctx context.Context) (source.Secret, error) {
	s.mu.Lock()
	tok := s.session
	s.mu.Unlock()
	if !tok.IsZero() {
		return tok, nil
	}
	return s.login(ctx, "")
}

// login logs in unless another call already replaced the rejected token,
// stores the new token and reports it through OnSession.
func (s *Source) login(ctx context.Context, rejected source.Secret) (source.Secret, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.session.IsZero() && s.session != rejected {
		return s.session, nil
	}
	tok, err := s.postLogin(ctx)
	if err != nil {
		return "", s.redact(err)
	}
	s.session = tok
	if s.cfg.OnSession != nil {
		s.cfg.OnSession(tok)
	}
	return tok, nil
}

// postLogin is the form login; it never follows redirects (GoAlert
// redirects with login_error when it refuses the referer).
func (s *Source) postLogin(ctx context.Context) (source.Secret, error) {
	form := url.Values{"username": {s.cfg.Username}, "password": {s.cfg.Password.Reveal()}, "noRedirect": {"1"}}
	u := s.base.JoinPath(loginPath)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return "", &source.Error{Kind: source.KindInvalid, Msg: "cannot build the GoAlert login", Err: err}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Referer", s.base.JoinPath("/").String())
	req.Header.Set("User-Agent", sourcehttp.UserAgent)
	client := *s.http
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Do(req)
	if err != nil {
		return "", transportError(ctx, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxToken+1))
	if err != nil {
		return "", transportError(ctx, err)
	}
	return s.loginAnswer(resp, body)
}

// loginAnswer classifies the login answer: a token, or why not.
func (s *Source) loginAnswer(resp *http.Response, body []byte) (source.Secret, error) {
	code := resp.StatusCode
	text := strings.TrimSpace(string(body))
	switch {
	case code >= 300 && code < 400:
		loc, _ := url.Parse(resp.Header.Get("Location"))
		reason := "redirected"
		if loc != nil && loc.Query().Get("login_error") != "" {
			reason = loc.Query().Get("login_error")
		}
		return "", &source.Error{Kind: source.KindInvalid, Status: code,
			Msg: fmt.Sprintf("GoAlert refused the login: %s (check the URL)", reason)}
	case code == http.StatusBadRequest || code == http.StatusUnauthorized || code == http.StatusForbidden:
		return "", &source.Error{Kind: source.KindUnauthorized, Status: code,
			Msg: fmt.Sprintf("GoAlert rejected the username or password (%d)", code), Err: vendorText(text)}
	case code < 200 || code > 299:
		return "", statusOnly(resp)
	case isHTML(resp, body):
		return "", &source.Error{Kind: source.KindBadResponse, Status: code, Msg: "not a GoAlert at this URL (HTML page)"}
	case text == "" || len(text) > maxToken || strings.ContainsAny(text, " \t\r\n<{\""):
		return "", &source.Error{Kind: source.KindBadResponse, Status: code, Msg: "unreadable login answer from GoAlert"}
	}
	return source.Secret(text), nil
}

// statusOnly classifies a non-2xx answer through sourcehttp's rules (the
// same messages as every source).
func statusOnly(resp *http.Response) error {
	rec := &sourcehttp.Client{Base: resp.Request.URL, System: "GoAlert",
		HTTP: &http.Client{Transport: replay{resp}}}
	return rec.Do(resp.Request.Context(), sourcehttp.Request{Method: http.MethodGet}, nil)
}

// replay answers any request with a recorded status and headers.
type replay struct{ resp *http.Response }

func (r replay) RoundTrip(*http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: r.resp.StatusCode, Header: r.resp.Header,
		Body: io.NopCloser(bytes.NewReader(nil)), Request: r.resp.Request}, nil
}

func vendorText(text string) error {
	if text == "" || strings.HasPrefix(text, "<") {
		return nil
	}
	return fmt.Errorf("GoAlert says %q", firstLine(text, 200))
}

func firstLine(s string, n int) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > n {
		s = s[:n] + "…"
	}
	return s
}

func isHTML(resp *http.Response, body []byte) bool {
	ct := strings.ToLower(resp.Header.Get("Content-Type"))
	head := strings.ToLower(strings.TrimSpace(string(body[:min(len(body), 64)])))
	return strings.HasPrefix(ct, "text/html") || strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html")
}

func transportError(ctx context.Context, err error) error {
	msg := "cannot reach GoAlert"
	var te interface{ Timeout() bool }
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &te) && te.Timeout()) {
		msg = "no answer from GoAlert (timeout)"
	}
	if ctx.Err() == context.Canceled {
		msg = "request to GoAlert cancelled"
	}
	return &source.Error{Kind: source.KindUnavailable, Msg: msg, Err: err}
}

// redact scrubs the password and the session from err.
func (s *Source) redact(err error) error {
	var e *source.Error
	if err == nil || !errors.As(err, &e) {
		return err
	}
	for _, sec := range []source.Secret{s.cfg.Password, s.session} {
		if sec.IsZero() {
			continue
		}
		e.Msg = strings.ReplaceAll(e.Msg, sec.Reveal(), sec.String())
		if e.Err != nil && strings.Contains(e.Err.Error(), sec.Reveal()) {
			e.Err = errors.New(strings.ReplaceAll(e.Err.Error(), sec.Reveal(), sec.String()))
		}
	}
	return e
}
