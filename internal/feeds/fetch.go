package feeds

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// MaxBytes is the default size cap of a calendar.
const MaxBytes = 20 << 20

// MaxRedirects is how many redirects a fetch follows.
const MaxRedirects = 5

// DefaultTimeout bounds a whole fetch with the default client.
const DefaultTimeout = 30 * time.Second

// ErrTooLarge is returned for a calendar bigger than the size cap.
var ErrTooLarge = errors.New("calendar is larger than 20 MB")

// ErrNotCalendar is returned when a server answers with a web page.
var ErrNotCalendar = errors.New("got a web page (HTML), not a calendar: check the feed URL or whether it needs a sign-in")

// errTooManyRedirects is returned by the redirect policy.
var errTooManyRedirects = fmt.Errorf("stopped after %d redirects", MaxRedirects)

// Request is one fetch: the feed URL and the validators of the cached copy.
type Request struct {
	URL          string
	ETag         string
	LastModified string
}

// Response is the answer to a Request.
type Response struct {
	// NotModified is true for 304 (or an unchanged file): keep the cache.
	NotModified bool
	// Body is the calendar when NotModified is false.
	Body         []byte
	ETag         string
	LastModified string
}

// Getter fetches feeds; *Fetcher is the real one, tests use fakes.
type Getter interface {
	Fetch(ctx context.Context, req Request) (Response, error)
}

// Fetcher fetches calendars over HTTP(S), webcal (as HTTPS) and from files.
type Fetcher struct {
	// Client does the HTTP requests; its Timeout bounds each fetch.
	Client *http.Client
	// MaxBytes caps the body size; 0 means MaxBytes (20 MB).
	MaxBytes int64
	// UserAgent is sent with requests; empty means "Standby".
	UserAgent string
}

// NewFetcher returns a Fetcher with a client that times out after
// DefaultTimeout and follows at most MaxRedirects redirects.
func NewFetcher() *Fetcher {
	return &Fetcher{Client: &http.Client{Timeout: DefaultTimeout, CheckRedirect: CheckRedirect}}
}

// CheckRedirect is the redirect policy of NewFetcher's client: at most
// MaxRedirects redirects, and never from https down to http.
func CheckRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > MaxRedirects {
		return errTooManyRedirects
	}
	if len(via) > 0 && via[0].URL.Scheme == "https" && req.URL.Scheme != "https" {
		return errors.New("refusing a redirect from https to http")
	}
	return nil
}

// Fetch fetches req.URL. Errors name the feed only by RedactURL.
func (f *Fetcher) Fetch(ctx context.Context, req Request) (Response, error) {
	u, path, err := normalize(req.URL)
	if err != nil {
		return Response{}, err
	}
	if path != "" {
		return f.fetchFile(path, req)
	}
	return f.fetchHTTP(ctx, u, req)
}

func (f *Fetcher) limit() int64 {
	if f.MaxBytes > 0 {
		return f.MaxBytes
	}
	return MaxBytes
}

// normalize turns a feed URL into an http(s) URL or a file path.
func normalize(raw string) (u *url.URL, path string, err error) {
	raw = strings.TrimSpace(raw)
	if isPath(raw) {
		if strings.HasPrefix(raw, "~/") {
			if home, err := os.UserHomeDir(); err == nil {
				raw = filepath.Join(home, raw[2:])
			}
		}
		return nil, raw, nil
	}
	u, err = url.Parse(raw)
	if err != nil {
		return nil, "", fmt.Errorf("feed URL %s does not parse", RedactURL(raw))
	}
	switch strings.ToLower(u.Scheme) {
	case "webcal", "webcals":
		u.Scheme = "https"
	case "http", "https":
		u.Scheme = strings.ToLower(u.Scheme)
	case "file":
		p := u.Path
		if u.Host != "" && u.Host != "localhost" {
			p = "//" + u.Host + p // UNC path
		}
		return nil, filepath.FromSlash(p), nil
	default:
		return nil, "", fmt.Errorf("feed URL %s: scheme %q is not https, http, webcal or file", RedactURL(raw), u.Scheme)
	}
	if u.Host == "" {
		return nil, "", fmt.Errorf("feed URL %s has no host", RedactURL(raw))
	}
	return u, "", nil
}

func (f *Fetcher) fetchHTTP(ctx context.Context, u *url.URL, req Request) (Response, error) {
	red := RedactURL(u.String())
	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Response{}, fmt.Errorf("fetching %s: %s", red, scrub(err, u))
	}
	hreq.Header.Set("Accept", "text/calendar, */*;q=0.5")
	hreq.Header.Set("User-Agent", orDefault(f.UserAgent, "Standby"))
	if req.ETag != "" {
		hreq.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hreq.Header.Set("If-Modified-Since", req.LastModified)
	}
	client := f.Client
	if client == nil {
		client = NewFetcher().Client
	}
	resp, err := client.Do(hreq)
	if err != nil {
		return Response{}, fmt.Errorf("fetching %s: %s", red, scrub(err, u))
	}
	defer resp.Body.Close()
	return f.readHTTP(resp, red)
}

func (f *Fetcher) readHTTP(resp *http.Response, red string) (Response, error) {
	if resp.StatusCode == http.StatusNotModified {
		return Response{NotModified: true, ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return Response{}, fmt.Errorf("fetching %s: server said %s", red, statusText(resp))
	}
	if resp.ContentLength > f.limit() {
		return Response{}, fmt.Errorf("fetching %s: %w", red, f.tooLarge())
	}
	body, err := readCapped(resp.Body, f.limit())
	if err != nil {
		if errors.Is(err, ErrTooLarge) {
			return Response{}, fmt.Errorf("fetching %s: %w", red, f.tooLarge())
		}
		return Response{}, fmt.Errorf("fetching %s: reading body: %w", red, err)
	}
	if looksHTML(resp.Header.Get("Content-Type"), body) {
		return Response{}, fmt.Errorf("fetching %s: %w", red, ErrNotCalendar)
	}
	return Response{Body: body, ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}, nil
}

// tooLarge is ErrTooLarge, or its equivalent for a custom cap.
func (f *Fetcher) tooLarge() error {
	if f.limit() == MaxBytes {
		return ErrTooLarge
	}
	return fmt.Errorf("calendar is larger than %d bytes: %w", f.limit(), ErrTooLarge)
}

func statusText(resp *http.Response) string {
	if t := http.StatusText(resp.StatusCode); t != "" {
		return fmt.Sprintf("%d %s", resp.StatusCode, t)
	}
	return resp.Status
}

// readCapped reads at most limit bytes and fails with ErrTooLarge, without
// reading further, when there is more.
func readCapped(r io.Reader, limit int64) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > limit {
		return nil, ErrTooLarge
	}
	return body, nil
}

// looksHTML reports whether a response is a web page instead of a calendar.
func looksHTML(contentType string, body []byte) bool {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(contentType)), "text/html") {
		return true
	}
	b := bytes.TrimLeft(bytes.TrimPrefix(body, []byte("\xEF\xBB\xBF")), " \t\r\n")
	return len(b) > 0 && b[0] == '<'
}

// scrub renders a client error without the URL it carries.
func scrub(err error, u *url.URL) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	msg := err.Error()
	if errors.Is(err, context.DeadlineExceeded) || strings.Contains(msg, "Client.Timeout") {
		msg = "timed out"
	}
	// Belt and braces: the inner error must not quote the URL either.
	msg = strings.ReplaceAll(msg, u.String(), RedactURL(u.String()))
	if u.RawQuery != "" {
		msg = strings.ReplaceAll(msg, u.RawQuery, "…")
	}
	if u.Path != "" && u.Path != "/" {
		msg = strings.ReplaceAll(msg, u.Path, "/…")
	}
	return msg
}

// fetchFile reads a local calendar; its modification time plays the part
// of Last-Modified.
func (f *Fetcher) fetchFile(path string, req Request) (Response, error) {
	fh, err := os.Open(path)
	if err != nil {
		return Response{}, fmt.Errorf("reading calendar file: %w", err)
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return Response{}, fmt.Errorf("reading calendar file: %w", err)
	}
	mod := st.ModTime().UTC().Format(time.RFC3339Nano)
	if req.LastModified == mod {
		return Response{NotModified: true, LastModified: mod}, nil
	}
	if st.Size() > f.limit() {
		return Response{}, fmt.Errorf("reading calendar file: %w", f.tooLarge())
	}
	body, err := readCapped(fh, f.limit())
	if err != nil {
		return Response{}, fmt.Errorf("reading calendar file: %w", err)
	}
	return Response{Body: body, LastModified: mod}, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
