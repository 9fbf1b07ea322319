package alarm

import (
	"encoding/binary"
	"math"
	"sync"
	"time"
)

// The PCM format every Sink receives: 48 kHz, stereo, signed 16-bit
// little-endian.
const (
	SampleRate   = 48000
	Channels     = 2
	BytesPerSamp = 2
	frameBytes   = Channels * BytesPerSamp
)

// tone is one beep of the alarm.
type tone struct {
	hz  float64
	dur time.Duration
}

// The alarm is synthesised here, so it is the project's own and needs no
// licence but Standby's: two groups of four beeps alternating G5 and C6
// (a rising, insistent two-note call that carries over speech and fans
// without being shrill), each beep 140 ms with 8 ms raised-cosine edges
// (no clicks), 60 ms apart, groups 400 ms apart, then 250 ms of silence
// so the tail is not cut when the output stops. About 2.3 s.
const (
	beepLen    = 140 * time.Millisecond
	beepGap    = 60 * time.Millisecond
	groupGap   = 400 * time.Millisecond
	edge       = 8 * time.Millisecond
	tailSilent = 250 * time.Millisecond
	// level is the peak amplitude, 0.6 of full scale (about -4.4 dBFS):
	// loud, with headroom for the second harmonic.
	level = 0.6
)

var pattern = []tone{{784, beepLen}, {1047, beepLen}, {784, beepLen}, {1047, beepLen}}

var (
	soundOnce sync.Once
	sound     []byte
)

// Sound returns the alarm as PCM in the Sink format. The slice is shared:
// do not modify it.
func Sound() []byte {
	soundOnce.Do(func() { sound = synth() })
	return sound
}

// Duration is how long Sound plays.
func Duration() time.Duration {
	return time.Duration(len(Sound())/frameBytes) * time.Second / SampleRate
}

func synth() []byte {
	var out []byte
	for g := range 2 {
		if g > 0 {
			out = appendSilence(out, groupGap-beepGap)
		}
		for _, t := range pattern {
			out = appendTone(out, t)
			out = appendSilence(out, beepGap)
		}
	}
	return appendSilence(out, tailSilent)
}

func frames(d time.Duration) int { return int(d * SampleRate / time.Second) }

func appendSilence(out []byte, d time.Duration) []byte {
	return append(out, make([]byte, frames(d)*frameBytes)...)
}

// appendTone adds a sine with a quieter octave above it (fuller than a
// pure sine on small laptop speakers), shaped by raised-cosine edges.
func appendTone(out []byte, t tone) []byte {
	n, e := frames(t.dur), frames(edge)
	for i := range n {
		x := float64(i) / SampleRate
		v := (math.Sin(2*math.Pi*t.hz*x) + 0.35*math.Sin(4*math.Pi*t.hz*x)) / 1.35
		env := 1.0
		if i < e {
			env = 0.5 - 0.5*math.Cos(math.Pi*float64(i)/float64(e))
		} else if i >= n-e {
			env = 0.5 - 0.5*math.Cos(math.Pi*float64(n-1-i)/float64(e))
		}
		s := int16(math.Round(v * env * level * math.MaxInt16))
		for range Channels {
			out = binary.LittleEndian.AppendUint16(out, uint16(s))
		}
	}
	return out
}
