package parser

import (
	"github.com/tessera-fair/tessera/graph"
	"github.com/tessera-fair/tessera/sparql/ast"
)

// update parses Update ::= Prologue ( Update1 ( ';' Update )? )?.
// Prefixes and the base carry over from one operation to the next.
func (p *parser) update() *ast.Update {
	u := &ast.Update{Pos: p.tok.pos}
	for p.err == nil {
		st := &ast.Step{Pos: p.tok.pos}
		st.Prologue = p.prologue()
		if p.tok.kind == tEOF {
			if len(st.Prologue) > 0 {
				u.Steps = append(u.Steps, st)
			}
			break
		}
		p.bgpLabels = map[string]int{} // patterns are scoped to their operation
		st.Op = p.operation()
		if p.err != nil {
			break
		}
		u.Steps = append(u.Steps, st)
		if p.acceptPunct(";") {
			continue
		}
		if p.tok.kind != tEOF {
			p.expected("';' or end of update")
		}
		break
	}
	return u
}

func (p *parser) operation() ast.Operation {
	pos := p.tok.pos
	switch {
	case p.acceptWord("LOAD"):
		l := &ast.Load{Pos: pos}
		l.Silent = p.acceptWord("SILENT")
		l.Source, _ = p.iri()
		if p.acceptWord("INTO") {
			if !p.expectWord("GRAPH") {
				return nil
			}
			l.Into, _ = p.iri()
		}
		return l
	case p.acceptWord("CLEAR"):
		c := &ast.Clear{Pos: pos}
		c.Silent = p.acceptWord("SILENT")
		c.Target = p.graphRefAll()
		return c
	case p.acceptWord("DROP"):
		d := &ast.Drop{Pos: pos}
		d.Silent = p.acceptWord("SILENT")
		d.Target = p.graphRefAll()
		return d
	case p.acceptWord("CREATE"):
		c := &ast.Create{Pos: pos}
		c.Silent = p.acceptWord("SILENT")
		if !p.expectWord("GRAPH") {
			return nil
		}
		c.Graph, _ = p.iri()
		return c
	case p.isWord("ADD") || p.isWord("MOVE") || p.isWord("COPY"):
		t := &ast.Transfer{Pos: pos, Kind: ast.Add}
		if p.isWord("MOVE") {
			t.Kind = ast.Move
		} else if p.isWord("COPY") {
			t.Kind = ast.Copy
		}
		p.next()
		t.Silent = p.acceptWord("SILENT")
		t.From = p.graphOrDefault()
		if !p.expectWord("TO") {
			return nil
		}
		t.To = p.graphOrDefault()
		return t
	case p.isWord("INSERT") && isWordTok(p.peek(), "DATA"):
		p.next()
		p.next()
		return &ast.InsertData{Pos: pos, Data: p.quadData("INSERT DATA", false)}
	case p.isWord("DELETE") && isWordTok(p.peek(), "DATA"):
		p.next()
		p.next()
		return &ast.DeleteData{Pos: pos, Data: p.quadData("DELETE DATA", true)}
	case p.isWord("DELETE") && isWordTok(p.peek(), "WHERE"):
		p.next()
		p.next()
		saved := p.noBlanks
		p.noBlanks = "DELETE WHERE"
		q := p.quadPattern(false)
		p.noBlanks = saved
		return &ast.DeleteWhere{Pos: pos, Pattern: q}
	case p.isWord("WITH") || p.isWord("DELETE") || p.isWord("INSERT"):
		return p.modify(pos)
	}
	p.expected("an update operation (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY, WITH)")
	return nil
}

func (p *parser) graphRefAll() ast.GraphTarget {
	switch {
	case p.acceptWord("DEFAULT"):
		return ast.GraphTarget{Kind: ast.TargetDefault}
	case p.acceptWord("NAMED"):
		return ast.GraphTarget{Kind: ast.TargetNamed}
	case p.acceptWord("ALL"):
		return ast.GraphTarget{Kind: ast.TargetAll}
	case p.acceptWord("GRAPH"):
		s, _ := p.iri()
		return ast.GraphTarget{Kind: ast.TargetGraph, IRI: s}
	}
	p.expected("GRAPH <iri>, DEFAULT, NAMED or ALL")
	return ast.GraphTarget{}
}

func (p *parser) graphOrDefault() ast.GraphTarget {
	if p.acceptWord("DEFAULT") {
		return ast.GraphTarget{Kind: ast.TargetDefault}
	}
	p.acceptWord("GRAPH")
	if !p.isIRITok() {
		p.expected("DEFAULT or a graph IRI")
		return ast.GraphTarget{}
	}
	s, _ := p.iri()
	return ast.GraphTarget{Kind: ast.TargetGraph, IRI: s}
}

// quadData parses QuadData for INSERT DATA / DELETE DATA: no variables, and
// for DELETE DATA no blank nodes.
func (p *parser) quadData(clause string, deleting bool) *ast.QuadTemplate {
	savedV, savedB, savedD := p.noVars, p.noBlanks, p.inData
	p.noVars, p.inData = clause, true
	if deleting {
		p.noBlanks = clause
	}
	q := p.quadPattern(true)
	p.noVars, p.noBlanks, p.inData = savedV, savedB, savedD
	return q
}

// quadPattern parses '{' Quads '}'. A template (INSERT DATA, INSERT/DELETE
// templates) scopes its blank-node labels to itself; the labels of DATA
// blocks must not be reused in other operations of the request (test
// syntax-update-54), while INSERT/DELETE templates may reuse a label, each
// one making fresh nodes (tests insert-where-same-bnode*). Otherwise
// (DELETE WHERE) the quads are a pattern.
func (p *parser) quadPattern(template bool) *ast.QuadTemplate {
	q := &ast.QuadTemplate{Pos: p.tok.pos}
	if !p.expectPunct("{") {
		return q
	}
	p.scopeSeq++
	savedT, savedB := p.inTpl, p.curBGP
	if template {
		p.inTpl = p.scopeSeq
	} else {
		p.curBGP = p.scopeSeq
	}
	defer func() { p.inTpl, p.curBGP = savedT, savedB }()
	for p.err == nil && !p.isPunct("}") {
		if p.startsTriples() {
			b := &ast.QuadBlock{Pos: p.tok.pos}
			b.Triples = p.triplesTemplate()
			q.Blocks = append(q.Blocks, b)
			if p.isPunct("}") {
				break
			}
		}
		if !p.isWord("GRAPH") {
			p.expected("a triple, GRAPH or '}'")
			return q
		}
		b := &ast.QuadBlock{Pos: p.tok.pos}
		p.next()
		if p.tok.kind == tVar {
			b.Graph = p.variable()
		} else if p.isIRITok() {
			pos := p.tok.pos
			s, _ := p.iri()
			b.Graph = &ast.Term{Pos: pos, Value: graph.IRI(s)}
		} else {
			p.expected("a variable or IRI after GRAPH")
			return q
		}
		if !p.expectPunct("{") {
			return q
		}
		b.Triples = p.triplesTemplate()
		p.expectPunct("}")
		q.Blocks = append(q.Blocks, b)
		p.acceptPunct(".")
	}
	p.expectPunct("}")
	return q
}

func (p *parser) modify(pos ast.Pos) *ast.Modify {
	m := &ast.Modify{Pos: pos}
	if p.acceptWord("WITH") {
		m.With, _ = p.iri()
	}
	if p.acceptWord("DELETE") {
		saved := p.noBlanks
		p.noBlanks = "DELETE templates"
		m.Delete = p.quadPattern(true)
		p.noBlanks = saved
	}
	if p.acceptWord("INSERT") {
		m.Insert = p.quadPattern(true)
	}
	if m.Delete == nil && m.Insert == nil {
		p.expected("DELETE or INSERT")
		return m
	}
	m.Using = p.datasetClauses("USING")
	if !p.expectWord("WHERE") {
		return m
	}
	if !p.isPunct("{") {
		p.expected("'{' after WHERE")
		return m
	}
	m.Where = p.groupGraphPattern()
	return m
}
