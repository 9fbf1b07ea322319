package alarm

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// killWait bounds how long a play waits for a killed player's pipes to
// close (a player's own children could keep them open).
const killWait = 2 * time.Second

// playerProgram is an audio player that reads Sound's format on stdin.
type playerProgram struct {
	name string
	args []string
}

// playerPrograms are tried in this order: PulseAudio's client (also
// served by PipeWire's pulse server), PipeWire's own, then ALSA's.
// paplay asks for a short buffer: with its default of about 2 s the
// sound did not reach a null sink's monitor in the tests.
var playerPrograms = []playerProgram{
	{"paplay", []string{"--raw", "--format=s16le", "--rate=" + strconv.Itoa(SampleRate), "--channels=" + strconv.Itoa(Channels),
		"--latency-msec=100"}},
	{"pw-cat", []string{"--playback", "--format=s16", "--rate=" + strconv.Itoa(SampleRate), "--channels=" + strconv.Itoa(Channels), "-"}},
	{"aplay", []string{"-q", "-t", "raw", "-f", "S16_LE", "-r", strconv.Itoa(SampleRate), "-c", strconv.Itoa(Channels)}},
}

// Process plays each sound by starting an audio player program (paplay,
// pw-cat or aplay, the first found on PATH) and writing the PCM to its
// stdin. A fresh process connects to the audio server anew, so it keeps
// working after the server restarts, which oto's one device per process
// does not. The zero value is ready to use; it holds no state, as PATH is
// searched on every play.
type Process struct{}

// Play runs the first player program found on PATH with pcm on its
// stdin, and the next one found when it fails; ctx's end kills it at once.
func (Process) Play(ctx context.Context, pcm []byte) error {
	var failed []string
	for _, prog := range playerPrograms {
		path, err := exec.LookPath(prog.name)
		if err != nil {
			continue
		}
		err = runPlayer(ctx, path, prog.args, pcm)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err == nil {
			return nil
		}
		failed = append(failed, fmt.Sprintf("%s: %s", prog.name, oneLine(err)))
	}
	if failed == nil {
		return fmt.Errorf("%w: no audio player program on PATH (paplay, pw-cat or aplay)", ErrNoDevice)
	}
	return fmt.Errorf("%w: %s", ErrNoDevice, strings.Join(failed, "; "))
}

// runPlayer runs one player with pcm on stdin and says why it failed
// with the first line it printed on stderr.
func runPlayer(ctx context.Context, path string, args []string, pcm []byte) error {
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Stdin = bytes.NewReader(pcm)
	var stderr limitedBuffer
	cmd.Stderr = &stderr
	cmd.WaitDelay = killWait
	err := cmd.Run()
	if err == nil {
		return nil
	}
	if msg := strings.TrimSpace(stderr.String()); msg != "" {
		return fmt.Errorf("%w: %s", err, msg)
	}
	return err
}

// maxStderr is as much of a player's stderr as an error quotes.
const maxStderr = 512

// limitedBuffer keeps the first maxStderr bytes written to it.
type limitedBuffer struct{ b bytes.Buffer }

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := maxStderr - l.b.Len(); room > 0 {
		l.b.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (l *limitedBuffer) String() string { return l.b.String() }
