package alertmanager

import (
	"strings"

	"github.com/standby-oncall/standby/internal/page"
)

// DefaultSeverityLabel is the label that carries an alert's severity.
const DefaultSeverityLabel = "severity"

// DefaultUrgency maps a severity label value to an urgency: high for
// critical, page, error and high (any case), low for everything else,
// including alerts without a severity. The quiet-hours policy and the
// settings screen can reuse it, or a Config can replace it.
func DefaultUrgency(severity string) page.Urgency {
	switch strings.ToLower(strings.TrimSpace(severity)) {
	case "critical", "page", "error", "high":
		return page.UrgencyHigh
	default:
		return page.UrgencyLow
	}
}
