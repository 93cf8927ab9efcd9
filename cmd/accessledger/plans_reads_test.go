package main

import (
	"net/url"
	"time"
)

// reads runs every read route as c, which sends the consistency token of the last
// command or none.
func (h *hotPath) reads(c *apiClient) {
	h.memberList(c)
	h.memberReads(c)
	h.accessReads(c)
	h.auditReads(c)
	c.call("GET", h.base, nil, planOK, nil)
	c.call("GET", "/v1/accounts/"+h.member(4), nil, planOK, nil)
	h.platform.call("GET", "/v1/projections", nil, planOK, nil)
	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		c.call("GET", path, nil, planOK, nil)
	}
}

// planPage is the cursor of a page of a list.
type planPage struct {
	Next string `json:"next_cursor"`
}

// planMemberSorts are the orders of the member list, each read on two pages.
var planMemberSorts = []string{"name", "-name", "email", "-email", "status", "-status", "role", "-role", "invited_at", "-invited_at"}

// memberList reads the member list in every order, a page and the next, and with every
// filter, alone and together.
func (h *hotPath) memberList(c *apiClient) {
	for _, sort := range planMemberSorts {
		var page planPage
		c.call("GET", h.base+"/members?limit=20&sort="+sort, nil, planOK, &page)
		c.call("GET", h.base+"/members?limit=20&sort="+sort+"&cursor="+url.QueryEscape(page.Next), nil, planOK, nil)
	}
	filters := []string{
		"status=active", "status=active,suspended", "role=member", "project=" + h.w.projects[1].String(),
		"client=" + h.w.clients[1].String(), "category=" + h.w.categories[1].String(), "q=first12", "q=m00012",
		"q=" + url.QueryEscape("m000012@load.example"), // longer than the trigram key: a second condition
		"status=active&role=member&project=" + h.w.projects[1].String() + "&client=" + h.w.clients[1].String() +
			"&category=" + h.w.categories[1].String() + "&q=last",
	}
	for _, f := range filters {
		var page planPage
		c.call("GET", h.base+"/members?limit=5&"+f, nil, planOK, &page)
		if page.Next != "" {
			c.call("GET", h.base+"/members?limit=5&"+f+"&cursor="+url.QueryEscape(page.Next), nil, planOK, nil)
		}
	}
	c.call("GET", h.base+"/members", nil, planOK, nil)
}

// memberReads reads members' details, now and in the past, their histories and the
// licenses.
func (h *hotPath) memberReads(c *apiClient) {
	past := url.QueryEscape(time.Now().Add(-time.Minute).Format(time.RFC3339Nano))
	for _, m := range []string{h.member(0), h.member(2), h.granted(0), h.newcomerID} {
		c.call("GET", h.base+"/members/"+m, nil, planOK, nil)
		var page planPage
		c.call("GET", h.base+"/members/"+m+"/history?limit=2", nil, planOK, &page)
		if page.Next != "" {
			c.call("GET", h.base+"/members/"+m+"/history?limit=2&cursor="+url.QueryEscape(page.Next), nil, planOK, nil)
		}
		c.call("GET", h.base+"/members/"+m+"/history?kind=status&from=2020-01-01T00:00:00Z&to="+past, nil, planOK, nil)
	}
	c.call("GET", h.base+"/members/"+h.granted(1)+"?as_of="+past, nil, planOK, nil)
	c.call("GET", h.base+"/licenses", nil, planOK, nil)
	c.call("GET", h.base+"/licenses?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z", nil, planOK, nil)
}

// accessReads asks the access check for each kind of action, and who may book.
func (h *hotPath) accessReads(c *apiClient) {
	actions := []string{"login", "module:booking", "module:reports", "book:" + h.w.categories[1].String(),
		"project:" + h.w.projects[1].String() + ":contributor", "feature:reports.export", "scope:company:acme:read"}
	for _, m := range []string{h.granted(1), h.member(2), h.member(0), h.newcomerID} {
		for _, a := range actions {
			c.call("GET", h.base+"/access/check?account="+m+"&action="+url.QueryEscape(a), nil, planOK, nil)
		}
	}
	past := url.QueryEscape(time.Now().Add(-time.Minute).Format(time.RFC3339Nano))
	for _, cat := range []string{h.w.categories[1].String(), h.category} {
		c.call("GET", h.base+"/booking/categories/"+cat+"/authorized", nil, planOK, nil)
		c.call("GET", h.base+"/booking/categories/"+cat+"/authorized?as_of="+past, nil, planOK, nil)
	}
}

// auditReads reads the workspace's activity log with every filter, and exports, and
// the raw streams and the global log.
func (h *hotPath) auditReads(c *apiClient) {
	m := h.granted(0)
	queries := []string{"", "order=oldest", "member=" + m, "actor=" + h.w.owner.String(), "kind=member", "kind=access.visa_granted",
		"from=2026-01-05T09:00:00Z&to=2026-01-05T10:00:00Z", "member=" + m + "&order=oldest&kind=access&actor=" + h.w.owner.String()}
	for _, q := range queries {
		var page planPage
		c.call("GET", h.base+"/history?limit=3&"+q, nil, planOK, &page)
		if page.Next != "" {
			c.call("GET", h.base+"/history?limit=3&"+q+"&cursor="+url.QueryEscape(page.Next), nil, planOK, nil)
		}
	}
	for _, accept := range []string{"text/csv", "application/x-ndjson"} {
		c.call("GET", h.base+"/history?member="+m, nil, planOK, nil, "Accept", accept)
	}
	for _, stream := range []string{"workspace-" + h.w.ws.String(), "member-" + h.w.ws.String() + "-" + m} {
		c.call("GET", "/v1/streams/"+stream+"/events?limit=5", nil, planOK, nil)
		c.call("GET", "/v1/streams/"+stream+"/events?from_version=3&limit=5", nil, planOK, nil)
	}
	h.platform.call("GET", "/v1/streams/account-"+m+"/events", nil, planOK, nil)
	// Past the end of a stream this process never read: is there such a stream at all?
	h.platform.call("GET", "/v1/streams/account-"+h.member(10)+"/events?from_version=5", nil, planOK, nil)
	var log struct{ Next string }
	h.platform.call("GET", "/v1/events?limit=5", nil, planOK, &log)
	h.platform.call("GET", "/v1/events?limit=5&after="+log.Next, nil, planOK, nil)
}
