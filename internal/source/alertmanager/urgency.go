package alertmanager

import (
	"github.com/standby-oncall/standby/internal/page"
	"github.com/standby-oncall/standby/internal/source"
)

// DefaultSeverityLabel is the label that carries an alert's severity.
const DefaultSeverityLabel = "severity"

// DefaultUrgency maps a severity label value by the one built-in scale
// (source.ScaleOf): critical, page, error and high are high, warning, info
// and the like low, and an alert without a severity high, so that an
// unlabelled alert is never quietened by mistake. A Config can replace it.
func DefaultUrgency(severity string) page.Urgency {
	return source.DefaultUrgency(source.KindAlertmanager, severity)
}
