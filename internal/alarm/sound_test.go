package alarm

import (
	"encoding/binary"
	"math"
	"strings"
	"testing"
	"time"
)

func samples(pcm []byte) []int16 {
	s := make([]int16, len(pcm)/BytesPerSamp)
	for i := range s {
		s[i] = int16(binary.LittleEndian.Uint16(pcm[2*i:]))
	}
	return s
}

func TestSound(t *testing.T) {
	pcm := Sound()
	if len(pcm)%frameBytes != 0 {
		t.Fatalf("%d bytes is not whole frames", len(pcm))
	}
	if d := Duration(); d < 2*time.Second || d > 3*time.Second {
		t.Fatalf("Duration = %v, want a 2–3 s alarm", d)
	}
	s := samples(pcm)
	peak := 0
	for _, v := range s {
		peak = max(peak, int(math.Abs(float64(v))))
	}
	if full := float64(peak) / math.MaxInt16; full < 0.5 || full > 0.7 {
		t.Fatalf("peak %.2f of full scale, want loud with headroom (0.5–0.7)", full)
	}
	// Left and right are the same; the ends are silent (no click).
	for i := 0; i < len(s); i += Channels {
		if s[i] != s[i+1] {
			t.Fatalf("frame %d: channels differ", i/Channels)
		}
	}
	if s[0] != 0 || s[len(s)-1] != 0 {
		t.Fatal("the sound does not start and end silent")
	}
	tail := frames(tailSilent) * Channels
	for _, v := range s[len(s)-tail:] {
		if v != 0 {
			t.Fatal("the last 250 ms are not silent; the output would cut the sound")
		}
	}
}

// TestFirstBeepPitch counts zero crossings of the first beep: a G5
// (784 Hz) for 140 ms crosses zero about 2 × 784 × 0.14 times.
func TestFirstBeepPitch(t *testing.T) {
	s := samples(Sound())
	n := frames(beepLen)
	crossings := 0
	for i := 1; i < n; i++ {
		a, b := s[(i-1)*Channels], s[i*Channels]
		if (a < 0) != (b < 0) {
			crossings++
		}
	}
	if want := 2 * 784 * 0.14; math.Abs(float64(crossings)-want) > 4 {
		t.Fatalf("%d zero crossings in the first beep, want about %.0f", crossings, want)
	}
}

func TestSoundIsDeterministic(t *testing.T) {
	a, b := synth(), synth()
	if string(a) != string(b) {
		t.Fatal("two syntheses differ")
	}
}

func TestShortKeepsTheFirstFailures(t *testing.T) {
	long := `no audio device: oto: ALSA error at snd_pcm_open: "default": No such file or directory, "plug:default": No such file or directory, "lavrate": No such file or directory, "pulse": Connection refused`
	got := short(long)
	if len(got) > maxCheckLine+20 || !strings.HasPrefix(got, `no audio device: oto: ALSA error at snd_pcm_open: "default": No such file or directory`) || !strings.HasSuffix(got, "(and 2 more)") {
		t.Fatalf("short = %q", got)
	}
	if s := "no audio device: x"; short(s) != s {
		t.Fatalf("a short error was changed: %q", short(s))
	}
}

func TestShortKeepsBothFallbackCauses(t *testing.T) {
	long := `no audio device: oto: ALSA error at snd_pcm_open: "default": No such file or directory, "plug:default": No such file or directory, "pulse": Connection refused` +
		fallbackSep + "paplay: exit status 1: Connection failure: Connection refused"
	got := short(long)
	want := `no audio device: oto: ALSA error at snd_pcm_open: "default": No such file or directory (and 2 more)` +
		fallbackSep + "paplay: exit status 1: Connection failure: Connection refused"
	if got != want {
		t.Fatalf("short:\n%q\nwant:\n%q", got, want)
	}
}
