package mockapi

import (
	"net/http"
)

// project groups customers. Names are not unique.
type project struct {
	id          int
	name        string
	description string
}

// projectView is the documented project object.
type projectView struct {
	ID          int    `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	UserID      int    `json:"user_id"`
}

func (p *project) view() projectView {
	return projectView{ID: p.id, Name: p.name, Description: p.description, UserID: ResellerUserID}
}

// withProject is withAccount for projects: 404 "Project not found.".
func (s *Server) withProject(rc *reqCtx, fn func(*project) response) response {
	return withObject(s, s.projects, rc, projectNotFound, fn)
}

// checkProjectFields validates name and description: required, strings,
// at most 255 characters. Used by create and edit alike.
func checkProjectFields(in input) (name, description string, fe fieldErrors) {
	fe = fieldErrors{}
	name, _ = checkString(fe, in, "name", "name", stringRule{max: 255})
	description, _ = checkString(fe, in, "description", "description", stringRule{max: 255})
	return name, description, fe
}

func (s *Server) newProjectLocked(name, description string) *project {
	s.nextProjectID++
	p := &project{id: s.nextProjectID, name: name, description: description}
	s.projects[p.id] = p
	return p
}

// SeedProject creates a project directly (no validation, no counters) and
// returns its id.
func (s *Server) SeedProject(name, description string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newProjectLocked(name, description).id
}

// GET /projects
func (s *Server) listProjects(rc *reqCtx) response {
	fe := fieldErrors{}
	pg := s.pageParams(rc.r.URL.Query(), fe)
	if len(fe) > 0 {
		return invalid(fe)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return paginate(rc.r, sortedViews(s.projects, nil, (*project).view), pg)
}

// POST /projects  body: name, description. Answers 200 with the project.
func (s *Server) createProject(rc *reqCtx) response {
	name, description, fe := checkProjectFields(rc.body)
	if len(fe) > 0 {
		return invalid(fe)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return okData(http.StatusOK, s.newProjectLocked(name, description).view())
}

// GET /projects/{id}
func (s *Server) getProject(rc *reqCtx) response {
	return s.withProject(rc, func(p *project) response {
		return okData(http.StatusOK, p.view())
	})
}

// PUT /projects/{id}  body: name, description (both required). Answers
// {"code":200} with no data.
func (s *Server) editProject(rc *reqCtx) response {
	return s.withProject(rc, func(p *project) response {
		name, description, fe := checkProjectFields(rc.body)
		if len(fe) > 0 {
			return invalid(fe)
		}
		p.name, p.description = name, description
		return okCode()
	})
}

// DELETE /projects/{id}: refused (422) while the project has customers.
func (s *Server) deleteProject(rc *reqCtx) response {
	return s.withProject(rc, func(p *project) response {
		if anyObject(s.customers, func(c *customer) bool { return c.projectID == p.id }) {
			return unprocessable("project", "Unable to delete a project that has customers.")
		}
		delete(s.projects, p.id)
		return okCode()
	})
}

// GET /projects/{id}/customers
func (s *Server) projectCustomers(rc *reqCtx) response {
	return projectList(s, rc, func(p *project) []customerView {
		return s.sortedCustomersLocked(func(c *customer) bool { return c.projectID == p.id })
	})
}

// GET /projects/{id}/accounts: the accounts of all the project's customers.
func (s *Server) projectAccounts(rc *reqCtx) response {
	return projectList(s, rc, func(p *project) []accountView {
		return s.sortedAccountsLocked(func(a *account) bool {
			c := s.customers[a.customerID]
			return c != nil && c.projectID == p.id
		})
	})
}

// projectList answers a page of what items (called with the lock held)
// lists under the project rc names: a project not found first, then the
// page parameters' errors.
func projectList[T any](s *Server, rc *reqCtx, items func(p *project) []T) response {
	fe := fieldErrors{}
	pg := s.pageParams(rc.r.URL.Query(), fe)
	return s.withProject(rc, func(p *project) response {
		if len(fe) > 0 {
			return invalid(fe)
		}
		return paginate(rc.r, items(p), pg)
	})
}
