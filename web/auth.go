package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
)

// authorizeWrite checks that a request may change the store: it must carry
// the operator token as `Authorization: Bearer <token>` (RFC 6750). The
// comparison runs in constant time over hashes of both values, so neither
// the token's content nor its length leaks through timing. Without a
// configured token writes are refused, unless the operator allowed
// anonymous writes.
func (s *Server) authorizeWrite(r *http.Request) *Error {
	if s.opts.WriteToken == "" {
		if s.opts.AllowAnonymousWrites {
			return nil
		}
		return apiError(http.StatusForbidden, "writes_disabled",
			"this server accepts no writes: start it with --write-token (or TESSERA_WRITE_TOKEN)")
	}
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return apiError(http.StatusUnauthorized, "unauthorized", "writes need the operator token: send Authorization: Bearer <token>")
	}
	got := sha256.Sum256([]byte(strings.TrimSpace(token)))
	want := sha256.Sum256([]byte(s.opts.WriteToken))
	if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
		return apiError(http.StatusUnauthorized, "invalid_token", "the bearer token is not the operator token")
	}
	return nil
}
