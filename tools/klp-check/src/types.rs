// SPDX-License-Identifier: GPL-2.0

//! Types and prototypes as the ABI sees them, read from C's and Rust's debug info alike, and the
//! comparison between a kernel function's prototype and the Rust declaration of it.

use std::fmt;

/// Whether a struct-like type is a `struct` or a `union`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aggregate {
    Struct,
    Union,
}

/// A type, reduced to what decides how a value of it is passed, and what a pointer points to:
/// typedefs, `const` and `volatile` are gone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Type {
    /// C's `void`; Rust's `()` and `c_void`.
    Void,
    /// An integer of `size` bytes; `signed` is `None` where the language leaves it open (a C
    /// enum, `char`, which the kernel builds as unsigned and Rust's bindings as either).
    Int {
        size: u64,
        signed: Option<bool>,
    },
    Bool,
    Float {
        size: u64,
    },
    /// A pointer (or a Rust reference) and what it points to.
    Pointer(Box<Type>),
    /// A struct or union; `name` is its tag (the last path segment in Rust), `None` when
    /// anonymous.
    Aggregate {
        kind: Aggregate,
        name: Option<String>,
        size: Option<u64>,
    },
    Array {
        element: Box<Type>,
        count: Option<u64>,
    },
    Function(Box<Prototype>),
    /// Anything else (a Rust enum with data, a type the reader does not follow), by name.
    Other(String),
}

/// A function's parameters and return type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prototype {
    pub params: Vec<Type>,
    pub ret: Type,
    pub variadic: bool,
}

/// What [`Type::Other`] holds for a type beyond the depth the reader follows.
pub const UNFOLLOWED: &str = "...";

/// One way a Rust prototype or type differs from the kernel's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mismatch {
    ParamCount {
        kernel: usize,
        rust: usize,
    },
    Variadic {
        kernel: bool,
    },
    Param {
        index: usize,
        kernel: Type,
        rust: Type,
    },
    Return {
        kernel: Type,
        rust: Type,
    },
    Type {
        kernel: Type,
        rust: Type,
    },
}

impl Type {
    /// Whether a value of the kernel's type `self` and one of the Rust type `rust` are passed
    /// alike and, for pointers, point to the same kind of thing.
    pub fn matches(&self, rust: &Type) -> bool {
        match (self, rust) {
            // Beyond the depth the reader follows, nothing is compared.
            (Type::Other(a), _) | (_, Type::Other(a)) if a == UNFOLLOWED => true,
            (Type::Void, Type::Void) | (Type::Bool, Type::Bool) => true,
            (
                Type::Int {
                    size: a,
                    signed: sa,
                },
                Type::Int {
                    size: b,
                    signed: sb,
                },
            ) => a == b && (sa.is_none() || sb.is_none() || sa == sb),
            (Type::Float { size: a }, Type::Float { size: b }) => a == b,
            (Type::Pointer(a), Type::Pointer(b)) => a.matches(b),
            (
                Type::Aggregate {
                    kind: ka,
                    name: na,
                    size: sa,
                },
                Type::Aggregate {
                    kind: kb,
                    name: nb,
                    size: sb,
                },
            ) => {
                let sizes = match (sa, sb) {
                    (Some(a), Some(b)) => a == b,
                    _ => true,
                };
                let names = match (na, nb) {
                    (Some(a), Some(b)) => a == b,
                    // An anonymous C type has a generated name in the bindings: sizes decide.
                    _ => true,
                };
                ka == kb && names && sizes
            }
            (
                Type::Array {
                    element: ea,
                    count: ca,
                },
                Type::Array {
                    element: eb,
                    count: cb,
                },
            ) => ea.matches(eb) && ca == cb,
            (Type::Function(a), Type::Function(b)) => a.mismatches(b).is_empty(),
            _ => false,
        }
    }
}

impl Prototype {
    /// How the Rust prototype `rust` differs from the kernel's `self`; empty if it does not.
    pub fn mismatches(&self, rust: &Prototype) -> Vec<Mismatch> {
        let mut out = Vec::new();
        if self.variadic != rust.variadic {
            out.push(Mismatch::Variadic {
                kernel: self.variadic,
            });
        }
        if self.params.len() != rust.params.len() {
            out.push(Mismatch::ParamCount {
                kernel: self.params.len(),
                rust: rust.params.len(),
            });
        }
        for (index, (k, r)) in self.params.iter().zip(&rust.params).enumerate() {
            if !k.matches(r) {
                out.push(Mismatch::Param {
                    index: index + 1,
                    kernel: k.clone(),
                    rust: r.clone(),
                });
            }
        }
        if !self.ret.matches(&rust.ret) {
            out.push(Mismatch::Return {
                kernel: self.ret.clone(),
                rust: rust.ret.clone(),
            });
        }
        out
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Void => f.write_str("void"),
            Type::Int { size, signed } => {
                let sign = match signed {
                    Some(true) => "s",
                    Some(false) => "u",
                    None => "int",
                };
                write!(f, "{sign}{}", size * 8)
            }
            Type::Bool => f.write_str("bool"),
            Type::Float { size } => write!(f, "f{}", size * 8),
            Type::Pointer(to) => match &**to {
                Type::Function(proto) => write!(f, "{proto} *"),
                to => write!(f, "{to} *"),
            },
            Type::Aggregate { kind, name, size } => {
                let kind = match kind {
                    Aggregate::Struct => "struct",
                    Aggregate::Union => "union",
                };
                match (name, size) {
                    (Some(name), _) => write!(f, "{kind} {name}"),
                    (None, Some(size)) => write!(f, "{kind} <anonymous, {size} bytes>"),
                    (None, None) => write!(f, "{kind} <anonymous>"),
                }
            }
            Type::Array { element, count } => match count {
                Some(count) => write!(f, "{element}[{count}]"),
                None => write!(f, "{element}[]"),
            },
            Type::Function(proto) => write!(f, "{proto}"),
            Type::Other(name) => f.write_str(name),
        }
    }
}

impl fmt::Display for Prototype {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (", self.ret)?;
        for (i, param) in self.params.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{param}")?;
        }
        if self.variadic {
            f.write_str(if self.params.is_empty() {
                "..."
            } else {
                ", ..."
            })?;
        }
        f.write_str(")")
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mismatch::ParamCount { kernel, rust } => {
                write!(
                    f,
                    "the kernel's takes {kernel} parameters, the Rust one {rust}"
                )
            }
            Mismatch::Variadic { kernel: true } => {
                f.write_str("the kernel's is variadic, the Rust one is not")
            }
            Mismatch::Variadic { kernel: false } => {
                f.write_str("the Rust one is variadic, the kernel's is not")
            }
            Mismatch::Param {
                index,
                kernel,
                rust,
            } => write!(f, "parameter {index}: kernel `{kernel}`, Rust `{rust}`"),
            Mismatch::Return { kernel, rust } => {
                write!(f, "return type: kernel `{kernel}`, Rust `{rust}`")
            }
            Mismatch::Type { kernel, rust } => write!(f, "kernel `{kernel}`, Rust `{rust}`"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(size: u64, signed: Option<bool>) -> Type {
        Type::Int { size, signed }
    }

    fn ptr(to: Type) -> Type {
        Type::Pointer(Box::new(to))
    }

    fn strukt(name: &str, size: u64) -> Type {
        Type::Aggregate {
            kind: Aggregate::Struct,
            name: Some(name.into()),
            size: Some(size),
        }
    }

    fn proto(params: Vec<Type>, ret: Type) -> Prototype {
        Prototype {
            params,
            ret,
            variadic: false,
        }
    }

    #[test]
    fn integers_match_by_size_and_known_sign() {
        assert!(int(4, Some(true)).matches(&int(4, Some(true))));
        assert!(!int(4, Some(true)).matches(&int(4, Some(false))));
        assert!(!int(4, Some(true)).matches(&int(8, Some(true))));
        // A C enum or a `char` leaves the sign open.
        assert!(int(4, None).matches(&int(4, Some(false))));
        assert!(int(1, None).matches(&int(1, Some(true))));
        assert!(!int(1, None).matches(&Type::Bool));
    }

    #[test]
    fn pointers_compare_what_they_point_to() {
        assert!(ptr(strukt("seq_file", 120)).matches(&ptr(strukt("seq_file", 120))));
        assert!(!ptr(strukt("seq_file", 120)).matches(&ptr(strukt("file", 120))));
        assert!(!ptr(Type::Void).matches(&ptr(strukt("file", 8))));
        assert!(ptr(Type::Void).matches(&ptr(Type::Void)));
        assert!(!ptr(Type::Void).matches(&int(8, Some(false))));
        // Anonymous C types get generated names in the bindings: sizes decide.
        let anon = Type::Aggregate {
            kind: Aggregate::Struct,
            name: None,
            size: Some(16),
        };
        assert!(anon.matches(&strukt("_bindgen_ty_1", 16)));
        assert!(!anon.matches(&strukt("_bindgen_ty_1", 8)));
    }

    #[test]
    fn prototypes_list_every_difference() {
        let kernel = proto(
            vec![ptr(strukt("seq_file", 120)), ptr(Type::Void)],
            int(4, Some(true)),
        );
        assert!(kernel.mismatches(&kernel.clone()).is_empty());
        let rust = proto(vec![ptr(strukt("seq_file", 120))], int(8, Some(true)));
        let found = kernel.mismatches(&rust);
        assert_eq!(
            found,
            vec![
                Mismatch::ParamCount { kernel: 2, rust: 1 },
                Mismatch::Return {
                    kernel: int(4, Some(true)),
                    rust: int(8, Some(true))
                },
            ]
        );
        assert_eq!(
            found[1].to_string(),
            "return type: kernel `s32`, Rust `s64`"
        );
        assert_eq!(kernel.to_string(), "s32 (struct seq_file *, void *)");
    }

    #[test]
    fn function_pointers_compare_their_prototypes() {
        let f = |ret| Type::Pointer(Box::new(Type::Function(Box::new(proto(vec![], ret)))));
        assert!(f(Type::Void).matches(&f(Type::Void)));
        assert!(!f(Type::Void).matches(&f(Type::Bool)));
        assert_eq!(f(Type::Bool).to_string(), "bool () *");
    }
}
