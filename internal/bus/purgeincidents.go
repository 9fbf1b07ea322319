package bus

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// purgeIncidents ends the incidents member commands and takes member out
// of the helpers of the others. Only a commander may hand over or end an
// incident, so one left under a member who is gone would stay for
// IncidentRetention with nobody able to change it; ended, it lets anyone
// present declare it again at once. It is not handed to a helper: nobody
// becomes commander without asking for it. Each write expects the record
// read, so a change made at the same moment is not overwritten.
func purgeIncidents(ctx context.Context, js jetstream.JetStream, member string) (ended, left int, err error) {
	team, err := js.Stream(ctx, TeamStream)
	if err != nil {
		return 0, 0, fmt.Errorf("reading %s: %w", TeamStream, err)
	}
	info, err := team.Info(ctx, jetstream.WithSubjectFilter(teamPrefix+"incident.>"))
	if err != nil {
		return 0, 0, fmt.Errorf("reading %s: %w", TeamStream, err)
	}
	for subj := range info.State.Subjects {
		last, err := team.GetLastMsgForSubject(ctx, subj)
		if err != nil {
			return ended, left, fmt.Errorf("reading %s: %w", subj, err)
		}
		var inc Incident
		if last.Header.Get(kvOperation) != "" || last.Header.Get(jetstream.MarkerReasonHeader) != "" ||
			json.Unmarshal(last.Data, &inc) != nil {
			continue
		}
		switch {
		case inc.Commander == member:
			if err := publishExpecting(ctx, js, endMarker(subj), last.Sequence, IncidentRetention); err != nil {
				return ended, left, err
			}
			ended++
		case slices.Contains(inc.Helpers, member):
			inc.Helpers = slices.DeleteFunc(slices.Clone(inc.Helpers), func(h string) bool { return h == member })
			inc.Updated = time.Now().UTC()
			data, err := json.Marshal(inc)
			if err != nil {
				return ended, left, fmt.Errorf("encoding incident: %w", err)
			}
			if err := publishExpecting(ctx, js, natsMsg(subj, data), last.Sequence, IncidentRetention); err != nil {
				return ended, left, err
			}
			left++
		}
	}
	return ended, left, nil
}

// endMarker is the delete marker that ends the incident stored on subj.
func endMarker(subj string) *nats.Msg {
	m := natsMsg(subj, nil)
	m.Header = nats.Header{}
	m.Header.Set(kvOperation, "DEL")
	return m
}

// publishExpecting stores m if subj's last sequence is still seq.
func publishExpecting(ctx context.Context, js jetstream.JetStream, m *nats.Msg, seq uint64, keep time.Duration) error {
	_, err := js.PublishMsg(ctx, m, jetstream.WithExpectLastSequencePerSubject(seq), jetstream.WithMsgTTL(keep))
	if err != nil {
		return fmt.Errorf("updating %s: %w", m.Subject, err)
	}
	return nil
}
