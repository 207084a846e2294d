package provider

import (
	"context"
	"sync"
	"time"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
)

// runMemory is what one Terraform command's provider process knows between
// the calls Terraform makes of it (see providerData). Each command runs its
// own provider process and configures it once, so the memory lives for one
// plan, one apply or one refresh:
//
//   - which objects this state holds, and by which unique key (refreshes
//     and plans record them): a plan-time uniqueness check skips a key that
//     this state's own object holds, whatever the reason for the plan;
//   - which keys the resources of the configuration ask for, to find two
//     resources that want the same username or email;
//   - the creates this state recorded as unfinished (a placeholder's note):
//     only they may resume a create and take the account it made;
//   - the customers a plan moves to another project (moves);
//   - the deletes this run plans and makes (deletes), for a delete that
//     waits on its dependents;
//   - which fleet accounts the apply set a password on (applied), for the
//     validate action an action_trigger runs after it.
//
// Every method does nothing, or reports nothing known, on a nil memory (an
// unconfigured provider).
type runMemory struct {
	mu      sync.Mutex
	held    map[keyRef]int64
	objects map[objRef]bool
	uses    map[keyRef][]keyUse
	pending map[keyRef]client.PendingCreate
	moves   map[int64]*customerMove
	// activity counts the calls this process has served (refreshes and
	// plans): a wait for the rest of a plan ends when it stops growing.
	activity int64

	emails   listIndex[client.Customer]
	projects listIndex[client.Project]
	deletes  deleteRegistry
	applied  applyMemory
}

// apply is what this apply recorded for the validate action (nil on a nil
// memory, which records nothing).
func (m *runMemory) apply() *applyMemory {
	if m == nil {
		return nil
	}
	return &m.applied
}

// objRef is an object: its kind (client.KindAccount...) and id.
type objRef struct {
	kind string
	id   int64
}

// keyRef is a unique key: a username (compared exactly, as the API does)
// or an email (client.EmailKey: as the API compares them).
type keyRef struct{ space, key string }

func usernameRef(u string) keyRef { return keyRef{"username", u} }
func emailRef(e string) keyRef    { return keyRef{"email", client.EmailKey(e)} }

// keyUse is one resource of the configuration asking for a key: to keep
// the object id holds with it, or (id 0) to create one, replacing the
// object lineage of the same resource (0: none). tainted says the lineage
// was inferred from this state's refresh (a tainted object is planned as a
// create with nothing else to go by), not from the resource's own plan.
type keyUse struct {
	who     string // the resource, for a message: `a vpnresellers_account with username "alice"`
	id      int64
	lineage lineage
}

// lineage is the object a create replaces.
type lineage struct {
	id      int64
	tainted bool
}

// sameResource reports whether two uses of a key are one resource's: the
// plan of an object it keeps, then the create that replaces it. A tainted
// object's resource plans no keeping, so a keeping is never its own.
func (u keyUse) sameResource(o keyUse) bool {
	return (u.id != 0 && o.lineage.id == u.id && !o.lineage.tainted) || (o.id != 0 && u.lineage.id == o.id && !u.lineage.tainted)
}

func (m *runMemory) touch() {
	if m != nil {
		m.mu.Lock()
		m.activity++
		m.mu.Unlock()
	}
}

// hold records that this state holds the object of kind with id, under
// its unique keys.
func (m *runMemory) hold(kind string, id int64, keys ...keyRef) {
	if m == nil || id <= 0 {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.activity++
	if m.held == nil {
		m.held, m.objects = map[keyRef]int64{}, map[objRef]bool{}
	}
	m.objects[objRef{kind, id}] = true
	for _, k := range keys {
		m.held[k] = id
	}
}

// holds reports whether this state holds the object.
func (m *runMemory) holds(kind string, id int64) bool {
	if m == nil {
		return false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.objects[objRef{kind, id}]
}

// holder is the id of the object this state holds under k (0: none known).
func (m *runMemory) holder(k keyRef) int64 {
	if m == nil {
		return 0
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.held[k]
}

// use records that a resource asks for key k, and returns the use of
// another resource that asks for it too, if any.
func (m *runMemory) use(k keyRef, u keyUse) *keyUse {
	if m == nil {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.activity++
	if m.uses == nil {
		m.uses = map[keyRef][]keyUse{}
	}
	for _, o := range m.uses[k] {
		if !u.sameResource(o) && (u.id == 0 || u != o) {
			m.uses[k] = append(m.uses[k], u)
			return &o
		}
	}
	m.uses[k] = append(m.uses[k], u)
	return nil
}

// record keeps the note of a create this state recorded as unfinished.
func (m *runMemory) record(k keyRef, p client.PendingCreate) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.pending == nil {
		m.pending = map[keyRef]client.PendingCreate{}
	}
	m.pending[k] = p
}

// recorded returns the note of an unfinished create of k, if this state
// recorded one.
func (m *runMemory) recorded(k keyRef) (client.PendingCreate, bool) {
	if m == nil {
		return client.PendingCreate{}, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.pending[k]
	return p, ok
}

// waitQuiet waits until done reports true, or until this process has
// served no call for quiet (the rest of the plan has run, or is waiting
// too). It reports done's last answer.
func (m *runMemory) waitQuiet(ctx context.Context, quiet time.Duration, done func() bool) bool {
	last, still := int64(-1), time.Now()
	for {
		if done() {
			return true
		}
		m.mu.Lock()
		now := m.activity
		m.mu.Unlock()
		if now != last {
			last, still = now, time.Now()
		} else if time.Since(still) >= quiet {
			return done()
		}
		select {
		case <-ctx.Done():
			return done()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// listIndex is one paged walk of a list, made the first time a plan needs
// it and shared by every other check of the run (the API has no "is this
// email free" endpoint). Objects this run deleted since are left out.
type listIndex[T any] struct {
	once  sync.Once
	items []T
	err   error
}

func (x *listIndex[T]) get(ctx context.Context, list func(context.Context) ([]T, error)) ([]T, error) {
	x.once.Do(func() { x.items, x.err = list(ctx) })
	return x.items, x.err
}

// customerWithEmail returns the customer that has email (as the API
// compares them), or nil when none has it, from the run's one walk of the
// customers. A customer this run has deleted since is not in the way.
func (m *runMemory) customerWithEmail(ctx context.Context, c *client.Client, email string) (*client.Customer, error) {
	all, err := m.emails.get(ctx, c.ListAllCustomers)
	if err != nil {
		return nil, err
	}
	want := client.EmailKey(email)
	for i := range all {
		if client.EmailKey(all[i].Email) == want && !m.deletes.isDone(client.KindCustomer, all[i].ID) {
			return &all[i], nil
		}
	}
	return nil, nil
}

// projectTwins returns the projects that this state does not hold and
// that a new project of name and description would twin, from the run's
// one walk of the projects: unfinished creates of that name (still
// carrying a one-time claim, client.IsClaim: a create stopped between its
// POST and the PUT that sets the real description), and projects exactly
// like it (the same name and description: a create that finished but that
// no state recorded, or someone else's project that happens to be alike).
func (m *runMemory) projectTwins(ctx context.Context, c *client.Client, name, description string) (unfinished, alike []client.Project, err error) {
	all, err := m.projects.get(ctx, c.ListAllProjects)
	if err != nil {
		return nil, nil, err
	}
	for _, p := range all {
		if p.Name != name || m.holds(client.KindProject, p.ID) || m.deletes.isDone(client.KindProject, p.ID) {
			continue
		}
		switch {
		case client.IsClaim(p.Description):
			unfinished = append(unfinished, p)
		case p.Description == description:
			alike = append(alike, p)
		}
	}
	return unfinished, alike, nil
}
