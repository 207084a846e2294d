package client

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// AIMD tuning of the adaptive rate.
const (
	minRate      = 0.2         // requests per second never paced below
	firstRate    = 1.0         // the least the first cut paces at
	rateStep     = 0.1         // added per successful answer
	cutCooldown  = time.Second // 429s closer than this to a cut are echoes of it
	recentWindow = time.Second // how far back the sending rate is measured
	recentKeep   = 256         // request starts remembered to measure it
)

// adaptiveRate paces requests: additive increase on success, multiplicative
// decrease on 429. Until the first 429 it does not pace at all, unless a
// ceiling was configured, which it then starts at and never exceeds.
type adaptiveRate struct {
	mu      sync.Mutex
	ceiling float64 // configured requests per second; 0 = none
	rate    float64 // current pace; 0 = not paced
	lastCut time.Time
	starts  []time.Time // recent request starts, oldest first
	lim     *rate.Limiter
}

func newAdaptiveRate(ceiling float64) *adaptiveRate {
	a := &adaptiveRate{ceiling: ceiling, rate: ceiling, lim: rate.NewLimiter(rate.Inf, 1)}
	if ceiling > 0 {
		a.lim.SetLimit(rate.Limit(ceiling))
		a.lim.SetBurst(max(1, int(ceiling)))
	}
	return a
}

func (a *adaptiveRate) current() float64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.rate
}

// wait blocks until the next request may start; onLong is told of waits
// longer than a second before they happen.
func (a *adaptiveRate) wait(ctx context.Context, onLong func(time.Duration)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r := a.lim.Reserve()
	if d := r.Delay(); d > 0 {
		if d > longWait {
			onLong(d)
		}
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			r.Cancel()
			return ctx.Err()
		}
	}
	now := time.Now()
	a.mu.Lock()
	defer a.mu.Unlock()
	a.starts = append(a.starts, now)
	if len(a.starts) > recentKeep {
		a.starts = a.starts[len(a.starts)-recentKeep:]
	}
	return nil
}

// throttled cuts the rate after a 429 (once per cooldown: the 429s of
// requests sent before a cut say nothing about the new rate) and reports the
// new rate to onCut.
func (a *adaptiveRate) throttled(onCut func(float64)) {
	a.mu.Lock()
	now := time.Now()
	if now.Sub(a.lastCut) < cutCooldown {
		a.mu.Unlock()
		return
	}
	a.lastCut = now
	if a.rate == 0 {
		// First 429 without a configured rate: start from what was sent in
		// the last second.
		sent := 0
		for _, t := range a.starts {
			if now.Sub(t) <= recentWindow {
				sent++
			}
		}
		a.rate = max(2*firstRate, float64(sent))
	}
	a.rate = max(minRate, a.rate/2)
	a.apply()
	r := a.rate
	a.mu.Unlock()
	onCut(r)
}

// succeeded raises a paced rate a little.
func (a *adaptiveRate) succeeded() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.rate == 0 {
		return
	}
	a.rate += rateStep
	if a.ceiling > 0 {
		a.rate = min(a.rate, a.ceiling)
	}
	a.apply()
}

func (a *adaptiveRate) apply() {
	a.lim.SetLimit(rate.Limit(a.rate))
	a.lim.SetBurst(1)
}
