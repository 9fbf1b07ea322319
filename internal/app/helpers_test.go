package app

import "github.com/standby-oncall/standby/internal/app/alerting"

// loudBatch and maxSeparate are alerting's batching, as the app tests see it.
const (
	loudBatch   = alerting.DefaultBatch
	maxSeparate = alerting.MaxSeparate
)
