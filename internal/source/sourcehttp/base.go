package sourcehttp

import (
	"fmt"
	"net/url"
)

// ParseBase parses a source's configured API URL: it must be an absolute
// http or https URL with a host, and must not hold credentials (they
// belong in the keyring). who names the source in the error, e.g.
// `pagerduty source "pd"`; want says what URL is expected, e.g.
// "https://host".
func ParseBase(who, raw, want string) (*url.URL, error) {
	base, err := url.Parse(raw)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("%s: URL %q: want %s", who, raw, want)
	}
	if base.User != nil {
		return nil, fmt.Errorf("%s: URL must not hold credentials; keep them in the keyring", who)
	}
	return base, nil
}
