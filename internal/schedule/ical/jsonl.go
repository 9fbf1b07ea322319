package ical

import (
	"bufio"
	"fmt"
	"io"
	"time"
)

// WriteJSONL prints occurrences in the reference (tools/ics-oracle) format,
// one JSON object per line with the keys uid, recurrence_id, start, end,
// summary, all_day and, when true, floating. Strings are escaped exactly like
// JavaScript's JSON.stringify (no HTML escaping). max > 0 limits the lines.
func WriteJSONL(w io.Writer, occs []Occurrence, max int) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	buf := make([]byte, 0, 512)
	for i := range occs {
		if max > 0 && i >= max {
			break
		}
		buf = appendLine(buf[:0], &occs[i])
		if _, err := bw.Write(buf); err != nil {
			return fmt.Errorf("writing occurrences: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing occurrences: %w", err)
	}
	return nil
}

func appendLine(b []byte, o *Occurrence) []byte {
	b = append(b, `{"uid":`...)
	b = appendNullable(b, o.UID, o.NoUID)
	b = append(b, `,"recurrence_id":`...)
	b = o.appendRecurrenceID(b)
	b = append(b, `,"start":"`...)
	b = o.appendTime(b, o.Start, o.startDay)
	b = append(b, `","end":"`...)
	b = o.appendTime(b, o.End, o.endDay)
	b = append(b, `","summary":`...)
	b = appendNullable(b, o.Summary, o.NoSummary)
	if o.AllDay {
		b = append(b, `,"all_day":true`...)
	} else {
		b = append(b, `,"all_day":false`...)
	}
	if o.Floating {
		b = append(b, `,"floating":true`...)
	}
	return append(b, "}\n"...)
}

// appendTime formats a start or end: a date for all-day occurrences (day is
// the exact date kept by Expand), else the UTC instant.
func (o *Occurrence) appendTime(b []byte, t time.Time, day int64) []byte {
	if !o.AllDay {
		return appendInstant(b, t.Unix())
	}
	if o.raw {
		return appendDateL(b, day*secsPerDay)
	}
	return appendDateL(b, t.UTC().Unix())
}

func (o *Occurrence) appendRecurrenceID(b []byte) []byte {
	switch {
	case o.RecurrenceID == nil:
		return append(b, "null"...)
	case o.raw && o.ridKind == 1:
		b = appendDateL(append(b, '"'), o.rid)
	case o.raw:
		b = appendInstant(append(b, '"'), o.rid)
	case o.RecurrenceID.IsDate:
		b = appendDateL(append(b, '"'), o.RecurrenceID.Time.UTC().Unix())
	default:
		b = appendInstant(append(b, '"'), o.RecurrenceID.Time.Unix())
	}
	return append(b, '"')
}

func appendNullable(b []byte, s string, null bool) []byte {
	if null {
		return append(b, "null"...)
	}
	return appendJSString(b, s)
}

const hexDigits = "0123456789abcdef"

// appendJSString quotes s like JSON.stringify: only ", \ and control
// characters are escaped; <, >, &, U+2028 and U+2029 are kept as is.
func appendJSString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			b = append(b, '\\', '"')
		case c == '\\':
			b = append(b, '\\', '\\')
		case c >= 0x20:
			b = append(b, c)
		case c == '\b':
			b = append(b, '\\', 'b')
		case c == '\f':
			b = append(b, '\\', 'f')
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c == '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
		}
	}
	return append(b, '"')
}
