package domain

import (
	"errors"
	"fmt"
	"testing"
)

func TestErrorText(t *testing.T) {
	err := validation(FieldError{Field: "email", Message: "is required"}, FieldError{Field: "role", Message: "is unknown"})
	want := "validation_failed: the command has invalid fields; email: is required; role: is unknown"
	if err.Error() != want {
		t.Fatalf("got %q", err.Error())
	}
}

func TestIsCodeAndKindOfSeeThroughWrapping(t *testing.T) {
	wrapped := fmt.Errorf("deciding: %w", conflict(CodeQuotaExceeded, "full"))
	if !IsCode(wrapped, CodeQuotaExceeded) || IsCode(wrapped, CodeForbidden) || KindOf(wrapped) != KindConflict {
		t.Fatalf("IsCode/KindOf on %v", wrapped)
	}
	plain := errors.New("database down")
	if IsCode(plain, CodeNotFound) || KindOf(plain) != KindUnknown || KindOf(nil) != KindUnknown {
		t.Fatal("a plain error passes for a domain error")
	}
}

// Each code has one kind, so the HTTP mapping is a function of the kind alone.
func TestCodesHaveTheirKinds(t *testing.T) {
	cases := map[*Error]Kind{
		validation():                         KindValidation,
		notFound("x"):                        KindNotFound,
		forbidden("x"):                       KindForbidden,
		selfAction("suspend"):                KindForbidden,
		ownerProtected("suspend"):            KindConflict,
		memberFrozen(StatusDeleted):          KindConflict,
		memberDeleted(targetID):              KindConflict,
		conflict(CodeInvalidTransition, "x"): KindConflict,
	}
	for e, kind := range cases {
		if e.Kind != kind {
			t.Errorf("%s has kind %s, want %s", e.Code, e.Kind, kind)
		}
	}
	if KindConflict.String() != "conflict" || Kind(42).String() != "kind(42)" {
		t.Error("kind names")
	}
}
