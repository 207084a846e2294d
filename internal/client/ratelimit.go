package client

import (
	"context"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// The adaptive rate: how fast the client sends once the API has answered
// 429 Too Many Requests.
//
// Until the first 429 it does not pace at all (unless a ceiling was
// configured, which it then starts at and never exceeds). At a 429 it
// paces at a little (margin) under the rate the API accepts, which it
// estimates from two things:
//
//   - the rate it was sending at when refused, which the API's limit is
//     just under, since the rate got there from below without a 429;
//   - the answers other than 429 over the last Retry-After seconds (at
//     least a second, and long enough for a few answers at the rate sent
//     at), per second: what the API let through. Whatever
//     the kind of limit, that is its rate: a token bucket refills at it,
//     and a fixed window of n requests per period answers Retry-After with
//     the rest of the period. It is used when it is lower and rests on a
//     few answers at least, or when nothing was paced yet (the first 429
//     of a burst).
//
// When nothing got through in that time it halves the rate; with nothing
// measured either way (a 429 before any answer), it starts from half what
// was sent in the last second.
//
// From there the rate grows with the answers received since that 429,
// slowly at first (10% after about 35) and faster the longer no 429 comes
// (twice after about 110), so that a long run under a limit hovers just
// under it, with about one 429 in every 40 requests whatever the limit, and
// an estimate that was too low is soon left behind. The 429s of requests
// sent before a cut say nothing about the new rate: they change nothing.

// Tuning of the adaptive rate.
const (
	minRate   = 0.2  // requests per second never paced below
	firstRate = 1.0  // the least the first cut paces at when nothing was measured
	margin    = 0.9  // paced at this share of the rate the API accepted
	growth    = 8e-5 // n answers after a cut, the rate is its rate x (1 + growth x n²)
	reliable  = 5    // answers a measured rate rests on, at least, to be lower than the rate sent at
	// The answers are counted in bucketWidth slots, for the longest window
	// measured (maxWindow).
	bucketWidth = 100 * time.Millisecond
	maxWindow   = 60 * time.Second
)

// adaptiveRate paces requests (see above).
type adaptiveRate struct {
	mu       sync.Mutex
	now      func() time.Time
	ceiling  float64 // configured requests per second; 0 = none
	rate     float64 // current pace; 0 = not paced
	base     float64 // the rate set at the last cut
	lastCut  time.Time
	since    int         // answers since the last cut
	sent     slotCounter // request starts
	accepted slotCounter // answers other than 429
	lim      *rate.Limiter
}

func newAdaptiveRate(ceiling float64) *adaptiveRate {
	a := &adaptiveRate{now: time.Now, ceiling: ceiling, rate: ceiling, lim: rate.NewLimiter(rate.Inf, 1)}
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
	r, d := a.reserve()
	if d > 0 {
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
	a.started()
	return nil
}

// reserve takes the next request's turn and says how long until it comes.
func (a *adaptiveRate) reserve() (*rate.Reservation, time.Duration) {
	now := a.now()
	r := a.lim.ReserveN(now, 1)
	return r, r.DelayFrom(now)
}

// started records that a request starts now.
func (a *adaptiveRate) started() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.sent.add(a.now())
}

// throttled takes a 429 answer to a request sent at sentAt, whose
// Retry-After was retryAfter (0: none), and reports the new rate to onCut
// when it cuts the rate.
func (a *adaptiveRate) throttled(sentAt time.Time, retryAfter time.Duration, onCut func(float64)) {
	a.mu.Lock()
	now := a.now()
	if !a.lastCut.IsZero() && !sentAt.After(a.lastCut) {
		a.mu.Unlock()
		return // sent before the last cut: says nothing about the new rate
	}
	a.lastCut = now
	// Long enough for a few answers at the rate sent at.
	window := max(retryAfter, time.Second)
	if a.rate > 0 {
		window = max(window, time.Duration(float64(reliable)/a.rate*float64(time.Second)))
	}
	window = min(window, maxWindow)
	n := a.accepted.sum(now, window)
	measured := float64(n) / window.Seconds()
	var est float64
	switch {
	case n > 0 && (a.rate == 0 || n >= reliable && measured < a.rate):
		est = measured
	case a.rate > 0 && n == 0:
		est = a.rate / 2 / margin // nothing got through: halve
	case a.rate > 0:
		est = a.rate
	default: // a first 429 before any answer
		est = max(2*firstRate, float64(a.sent.sum(now, time.Second))) / 2 / margin
	}
	a.base, a.since = max(minRate, margin*est), 0
	if a.ceiling > 0 {
		a.base = min(a.base, a.ceiling)
	}
	a.rate = a.base
	a.apply(now)
	r := a.rate
	a.mu.Unlock()
	onCut(r)
}

// answered takes an answer other than 429, and lets a paced rate grow.
func (a *adaptiveRate) answered() {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	a.accepted.add(now)
	if a.lastCut.IsZero() {
		return // not cut yet: unpaced, or at the ceiling
	}
	a.since++
	n := float64(a.since)
	r := a.base * (1 + growth*n*n)
	if a.ceiling > 0 {
		r = min(r, a.ceiling)
	}
	if math.Abs(r-a.rate) > 1e-9 {
		a.rate = r
		a.apply(now)
	}
}

func (a *adaptiveRate) apply(now time.Time) {
	a.lim.SetLimitAt(now, rate.Limit(a.rate))
	a.lim.SetBurstAt(now, 1)
}

// slotCounter counts events in time slots of bucketWidth, over maxWindow.
type slotCounter struct {
	slot  [maxWindow / bucketWidth]int64 // which slot (time / bucketWidth) each count is of
	count [maxWindow / bucketWidth]int
}

func (s *slotCounter) add(t time.Time) {
	n := t.UnixNano() / int64(bucketWidth)
	i := n % int64(len(s.slot))
	if s.slot[i] != n {
		s.slot[i], s.count[i] = n, 0
	}
	s.count[i]++
}

// sum counts the events of the window up to t (at most maxWindow).
func (s *slotCounter) sum(t time.Time, window time.Duration) int {
	last := t.UnixNano() / int64(bucketWidth)
	total := 0
	for n := last - int64(min(window, maxWindow)/bucketWidth) + 1; n <= last; n++ {
		if i := n % int64(len(s.slot)); s.slot[i] == n {
			total += s.count[i]
		}
	}
	return total
}
