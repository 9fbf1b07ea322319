package config

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Incident configures the incident commander feature.
type Incident struct {
	// DocTemplate makes an incident's living-document link when none is
	// given: an http(s) URL in which {source}, {id}, {title}, {commander}
	// and {date} (YYYY-MM-DD) are replaced, query-escaped. Empty: no link
	// unless one is given.
	DocTemplate string `toml:"doc_template,omitempty"`
}

// DocLink fills the template for a page; "" when there is no template.
func (i Incident) DocLink(source, id, title, commander string, now time.Time) string {
	if i.DocTemplate == "" {
		return ""
	}
	return strings.NewReplacer(
		"{source}", url.QueryEscape(source), "{id}", url.QueryEscape(id), "{title}", url.QueryEscape(title),
		"{commander}", url.QueryEscape(commander), "{date}", now.Format(time.DateOnly),
	).Replace(i.DocTemplate)
}

// validate checks that the template makes an http(s) URL.
func (i Incident) validate() error {
	if i.DocTemplate == "" {
		return nil
	}
	u, err := url.Parse(i.DocLink("src", "id", "title", "me", time.Unix(0, 0).UTC()))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("incident.doc_template: %q does not make an http:// or https:// URL", i.DocTemplate)
	}
	return nil
}
