package hub

import (
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/standby-oncall/standby/internal/bus"
	"github.com/standby-oncall/standby/internal/page"
)

// Bounds of the fields a webhook may send, in bytes. They are generous for
// real alerts (Alertmanager fingerprints are 16 characters) and keep every
// page small enough for the pages stream, and its subject far below the
// server's 4 KiB protocol line.
const (
	maxTitle    = 4096
	maxService  = 256
	maxSeverity = 64
	maxURL      = 4096
	maxGroup    = 4096
	maxLabels   = 64
	maxLabelKey = 128
	maxLabelVal = 2048
)

// checkPage refuses a page with a field over its bound, naming the field.
func checkPage(p page.Page) error {
	if err := bus.CheckPageID(p.ID); err != nil {
		return err
	}
	for _, f := range []struct {
		name, v string
		max     int
	}{
		{"title", p.Title, maxTitle}, {"service", p.Service, maxService},
		{"severity", p.Severity, maxSeverity}, {"url", p.URL, maxURL}, {"group", p.Group, maxGroup},
	} {
		if len(f.v) > f.max {
			return fmt.Errorf("%s is %d bytes; at most %d", f.name, len(f.v), f.max)
		}
	}
	if len(p.Labels) > maxLabels {
		return fmt.Errorf("%d labels; at most %d", len(p.Labels), maxLabels)
	}
	for k, v := range p.Labels {
		if len(k) > maxLabelKey || len(v) > maxLabelVal {
			return fmt.Errorf("label %.40q: name at most %d bytes, value at most %d", k, maxLabelKey, maxLabelVal)
		}
	}
	return nil
}

// checkContentType answers 415 unless the body says it is JSON
// (application/json or a +json type, any parameters).
func checkContentType(r *http.Request) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json")) {
		return nil
	}
	return &httpError{code: http.StatusUnsupportedMediaType,
		reason: "Content-Type must be application/json"}
}
