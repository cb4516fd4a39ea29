// alloy-syntax checks Grafana Alloy configuration files with Alloy's own syntax module
// (github.com/grafana/alloy/syntax: the parser, printer and expression evaluator that `alloy fmt`
// and `alloy run` use), without building Alloy itself. Built by scripts/build-alloy-syntax.sh.
//
//	alloy-syntax check FILE...  parse each file and require it to be formatted as `alloy fmt` would;
//	                            prints every problem as FILE:LINE:COL: message, exits 1 on any
//	alloy-syntax fmt FILE       print FILE formatted
//	alloy-syntax json FILE      print the file's blocks as JSON, for tests: name, label, attributes
//	                            (the literal value when the expression is a constant, its source
//	                            text otherwise) and the component references each expression uses
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/grafana/alloy/syntax/ast"
	"github.com/grafana/alloy/syntax/parser"
	"github.com/grafana/alloy/syntax/printer"
	"github.com/grafana/alloy/syntax/vm"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: alloy-syntax check FILE... | fmt FILE | json FILE")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "check":
		failed := false
		for _, name := range os.Args[2:] {
			if err := check(name); err != nil {
				fmt.Fprintln(os.Stderr, err)
				failed = true
			}
		}
		if failed {
			os.Exit(1)
		}
	case "fmt":
		_, formatted, err := parse(os.Args[2])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Stdout.Write(formatted)
	case "json":
		file, _, err := parse(os.Args[2])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		out, err := json.MarshalIndent(body(file.Body), "", "  ")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Stdout.Write(append(out, '\n'))
	default:
		fmt.Fprintf(os.Stderr, "unknown command %q\n", os.Args[1])
		os.Exit(2)
	}
}

// parse reads and parses a file and returns it with its canonical formatting.
func parse(name string) (*ast.File, []byte, error) {
	src, err := os.ReadFile(name)
	if err != nil {
		return nil, nil, err
	}
	file, err := parser.ParseFile(name, src)
	if err != nil {
		return nil, nil, err // diag.Diagnostics: one "file:line:col: message" per problem
	}
	var buf bytes.Buffer
	if err := printer.Fprint(&buf, file); err != nil {
		return nil, nil, err
	}
	// `alloy fmt` ends the file with exactly one newline.
	formatted := append(bytes.TrimRight(buf.Bytes(), "\n"), '\n')
	return file, formatted, nil
}

func check(name string) error {
	src, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	_, formatted, err := parse(name)
	if err != nil {
		return err
	}
	if !bytes.Equal(src, formatted) {
		return fmt.Errorf("%s: not formatted as `alloy fmt` would write it; expected:\n%s", name, formatted)
	}
	return nil
}

// Block is one block of the file, for tests that check what a configuration does.
type Block struct {
	Name       string               `json:"name"`
	Label      string               `json:"label,omitempty"`
	Attributes map[string]Attribute `json:"attributes"`
	Blocks     []Block              `json:"blocks"`
}

// Attribute is one `name = expression` of a block.
type Attribute struct {
	// Value is the evaluated constant (string, number, bool, list, object), absent when the
	// expression refers to components or calls functions.
	Value      interface{} `json:"value,omitempty"`
	Expression string      `json:"expression"`
	// References are the dotted paths the expression reads, e.g. discovery.docker.lanyard.targets.
	References []string `json:"references"`
}

func body(stmts ast.Body) []Block {
	blocks := []Block{}
	for _, stmt := range stmts {
		if b, ok := stmt.(*ast.BlockStmt); ok {
			blocks = append(blocks, block(b))
		}
	}
	return blocks
}

func block(b *ast.BlockStmt) Block {
	out := Block{Name: strings.Join(b.Name, "."), Label: b.Label, Attributes: map[string]Attribute{}, Blocks: body(b.Body)}
	for _, stmt := range b.Body {
		if a, ok := stmt.(*ast.AttributeStmt); ok {
			out.Attributes[a.Name.Name] = attribute(a.Value)
		}
	}
	return out
}

func attribute(expr ast.Expr) Attribute {
	var text bytes.Buffer
	_ = printer.Fprint(&text, expr)
	attr := Attribute{Expression: text.String(), References: references(expr)}
	if len(attr.References) == 0 {
		var value interface{}
		if err := vm.New(expr).Evaluate(&vm.Scope{}, &value); err == nil {
			attr.Value = value
		}
	}
	return attr
}

// references lists the access paths (a.b.c) rooted at an identifier anywhere in expr.
func references(expr ast.Expr) []string {
	refs := []string{}
	var walk func(e ast.Expr)
	walk = func(e ast.Expr) {
		switch e := e.(type) {
		case *ast.IdentifierExpr, *ast.AccessExpr:
			if path, ok := accessPath(e); ok {
				refs = append(refs, path)
				return
			}
			if a, ok := e.(*ast.AccessExpr); ok {
				walk(a.Value)
			}
		case *ast.ArrayExpr:
			for _, el := range e.Elements {
				walk(el)
			}
		case *ast.ObjectExpr:
			for _, f := range e.Fields {
				walk(f.Value)
			}
		case *ast.IndexExpr:
			walk(e.Value)
			walk(e.Index)
		case *ast.CallExpr:
			// The function itself (sys.env, string.format) is a reference too.
			walk(e.Value)
			for _, arg := range e.Args {
				walk(arg)
			}
		case *ast.UnaryExpr:
			walk(e.Value)
		case *ast.BinaryExpr:
			walk(e.Left)
			walk(e.Right)
		case *ast.ParenExpr:
			walk(e.Inner)
		}
	}
	walk(expr)
	return refs
}

func accessPath(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.IdentifierExpr:
		return e.Ident.Name, true
	case *ast.AccessExpr:
		if base, ok := accessPath(e.Value); ok {
			return base + "." + e.Name.Name, true
		}
	}
	return "", false
}
