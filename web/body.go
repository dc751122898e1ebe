package web

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// requestBody returns the body of r for reading, the one way every endpoint
// that takes a body (/sparql, /store, /graphql) reads it. A body compressed
// with gzip (Content-Encoding: gzip or x-gzip) is decompressed as it is
// read. limit caps the body both as sent and as decompressed, so that a
// small compressed body cannot expand without bound (a zip bomb); past
// either cap reads fail with *http.MaxBytesError, which the endpoints
// answer with 413.
//
// Errors are *Error: 415 for any other content coding, with an
// Accept-Encoding header naming gzip (RFC 9110 §12.5.3); 400 for a body
// that does not start as gzip data; 413 for a body over the limit already
// in the gzip header.
func requestBody(w http.ResponseWriter, r *http.Request, limit int64) (io.ReadCloser, error) {
	body := http.MaxBytesReader(w, r.Body, limit)
	coding, err := contentCoding(r.Header)
	if err != nil || coding == "" {
		return body, err
	}
	zr, err := gzip.NewReader(body) // reads the gzip header
	if err != nil {
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			return nil, bodyError(err, "read the request body")
		case errors.Is(err, io.EOF):
			return nil, apiError(http.StatusBadRequest, "bad_content_encoding", fmt.Sprintf("the request body is empty, not %s data as its Content-Encoding says", coding))
		}
		return nil, apiError(http.StatusBadRequest, "bad_content_encoding", fmt.Sprintf("the request body is not %s data as its Content-Encoding says: %v", coding, err))
	}
	// A MaxBytesReader again (not an io.LimitReader): the error is the
	// same 413 as for the body as sent, and Request.ParseForm recognises it
	// and adds no cap of its own.
	return http.MaxBytesReader(w, zr, limit), nil
}

// contentCoding returns the content coding of a request body: "" for none
// (or identity), "gzip" or "x-gzip". Anything else, including more than
// one coding, is a 415 *Error.
func contentCoding(h http.Header) (string, error) {
	var codings []string
	for _, v := range h.Values("Content-Encoding") {
		for c := range strings.SplitSeq(v, ",") {
			if c = strings.ToLower(strings.TrimSpace(c)); c != "" && c != "identity" {
				codings = append(codings, c)
			}
		}
	}
	switch {
	case len(codings) == 0:
		return "", nil
	case len(codings) == 1 && (codings[0] == "gzip" || codings[0] == "x-gzip"):
		return codings[0], nil
	}
	e := apiError(http.StatusUnsupportedMediaType, "unsupported_content_encoding",
		fmt.Sprintf("Content-Encoding %s is not supported: send the body uncompressed, or compressed once with gzip", strings.Join(codings, ", ")))
	e.header = map[string]string{"Accept-Encoding": "gzip"}
	return "", e
}
