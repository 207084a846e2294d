package provider

import "sync"

// applyMemory is what one apply remembers between the calls Terraform makes
// of it (see providerData): which accounts of a vpnresellers_accounts fleet
// the apply went through, and on which of them it set a password (created,
// replaced, or rotated by passwords_wo_version). The validate action that
// an action_trigger runs after the fleet's create or update checks exactly
// those (see accountValidateAction).
type applyMemory struct {
	mu sync.Mutex
	// fleet maps the username of every entry of a fleet applied in this
	// process to whether this apply set its password.
	fleet map[string]bool
}

// fleetApplied records the usernames of a fleet about to be applied. Like
// every method, it does nothing on a nil memory (an unconfigured provider).
func (m *applyMemory) fleetApplied(names []string) {
	m.update(func(fleet map[string]bool) {
		for _, n := range names {
			if _, ok := fleet[n]; !ok {
				fleet[n] = false
			}
		}
	})
}

// passwordSet records that this apply set the password of the fleet
// account username.
func (m *applyMemory) passwordSet(username string) {
	m.update(func(fleet map[string]bool) { fleet[username] = true })
}

// update runs f on the record of the fleet's accounts, under the lock.
func (m *applyMemory) update(f func(fleet map[string]bool)) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fleet == nil {
		m.fleet = map[string]bool{}
	}
	f(m.fleet)
}

// toValidate picks, of the fleet accounts names (sorted), those to check:
// when this apply went through a fleet holding any of them, the ones whose
// password it set; otherwise (the action invoked alone, or by an apply
// that did not touch the fleet) all of them. skipped is how many were
// left out.
func (m *applyMemory) toValidate(names []string) (validate []string, skipped int) {
	if m == nil {
		return names, 0
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	touched := false
	for _, n := range names {
		if _, ok := m.fleet[n]; ok {
			touched = true
			break
		}
	}
	if !touched {
		return names, 0
	}
	for _, n := range names {
		if m.fleet[n] {
			validate = append(validate, n)
		}
	}
	return validate, len(names) - len(validate)
}
