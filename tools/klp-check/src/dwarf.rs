// SPDX-License-Identifier: GPL-2.0

//! Functions, variables and types from an ELF file's DWARF: a linked vmlinux, or a module (a
//! relocatable object, whose debug sections are read with their relocations applied).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use gimli::{
    AttributeValue, DebuggingInformationEntry, EndianSlice, LittleEndian, Operation, Reader,
    RelocateReader, SectionId, Unit, UnitOffset,
};
use object::{Object, ObjectSection, RelocationMap};

use crate::types::{Aggregate, Prototype, Type, UNFOLLOWED};

/// How deep a type is followed through pointers and function pointers.
const MAX_DEPTH: usize = 4;

/// A section's relocations, applied to the values read from it.
#[derive(Clone, Copy, Debug)]
pub struct Relocs<'m>(Option<&'m RelocationMap>);

impl gimli::read::Relocate for Relocs<'_> {
    fn relocate_address(&self, offset: usize, value: u64) -> gimli::Result<u64> {
        Ok(match self.0 {
            Some(map) => map.relocate(offset as u64, value),
            None => value,
        })
    }

    fn relocate_offset(&self, offset: usize, value: usize) -> gimli::Result<usize> {
        match self.0 {
            Some(map) => {
                <usize as gimli::ReaderOffset>::from_u64(map.relocate(offset as u64, value as u64))
            }
            None => Ok(value),
        }
    }
}

/// The reader every section is read through.
pub type R<'d> = RelocateReader<EndianSlice<'d, LittleEndian>, Relocs<'d>>;

/// The relocations of a relocatable object's debug sections, by section; empty for a linked
/// file. They must outlive the [`Dwarf`] read from them.
#[derive(Default)]
pub struct DebugRelocations(HashMap<SectionId, RelocationMap>);

impl DebugRelocations {
    pub fn new<'d>(file: &object::File<'d>) -> Result<Self, object::Error> {
        let mut maps = HashMap::new();
        if file.kind() != object::ObjectKind::Relocatable {
            return Ok(DebugRelocations(maps));
        }
        for id in DEBUG_SECTIONS {
            if let Some(section) = file.section_by_name(id.name()) {
                let mut map = RelocationMap::default();
                for (offset, relocation) in section.relocations() {
                    // R_X86_64_NONE: a relocation the toolchain voided (its target was
                    // discarded); the field keeps what was written there.
                    if relocation.flags()
                        == (object::RelocationFlags::Elf {
                            r_type: object::elf::R_X86_64_NONE,
                        })
                    {
                        continue;
                    }
                    map.add(file, offset, relocation)?;
                }
                maps.insert(id, map);
            }
        }
        Ok(DebugRelocations(maps))
    }
}

const DEBUG_SECTIONS: [SectionId; 9] = [
    SectionId::DebugAbbrev,
    SectionId::DebugAddr,
    SectionId::DebugInfo,
    SectionId::DebugLine,
    SectionId::DebugLineStr,
    SectionId::DebugRngLists,
    SectionId::DebugRanges,
    SectionId::DebugStr,
    SectionId::DebugStrOffsets,
];

/// Whether `file`'s debug sections are compressed (`CONFIG_DEBUG_INFO_COMPRESSED_*`), which
/// this reader does not read: as if it had none.
pub fn compressed(file: &object::File<'_>) -> bool {
    file.sections().any(|s| {
        s.name().is_ok_and(|n| n.starts_with(".debug_"))
            && s.compressed_file_range()
                .is_ok_and(|r| r.format != object::CompressionFormat::None)
    })
}

/// A file's DWARF.
pub struct Dwarf<'d> {
    dwarf: gimli::Dwarf<R<'d>>,
    units: Vec<Unit<R<'d>>>,
}

/// Where a function or variable was declared, and its compilation unit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Source {
    /// The compilation unit's name: the C file, or the Rust crate root.
    pub unit: String,
    /// `DW_AT_decl_file` and `DW_AT_decl_line`, where the producer gave them.
    pub decl: Option<(String, u64)>,
}

/// A function with code.
#[derive(Clone, Debug)]
pub struct Function {
    pub name: String,
    pub linkage_name: Option<String>,
    /// Where its code may start (section-relative in a relocatable object): its `low_pc`, or
    /// without one (GCC's functions split into a hot and a `.cold` part) its `entry_pc` and the
    /// start of each of its ranges. Its symbol's address is one of them.
    pub starts: Vec<u64>,
    pub proto: Prototype,
    /// `DW_AT_calling_convention` is `DW_CC_nocall`: the compiler changed how it is called
    /// (removed or changed parameters), so its callers do not follow its C prototype.
    pub nocall: bool,
    pub source: Source,
    /// For a Rust generic function, its first type parameter.
    pub type_param: Option<Type>,
}

/// A variable with a static address.
#[derive(Clone, Debug)]
pub struct Variable {
    pub name: String,
    pub address: u64,
    pub ty: Type,
    pub source: Source,
}

/// What a scan looks for: C names, and Rust linkage (mangled) names.
#[derive(Default)]
pub struct Wanted {
    pub names: HashSet<String>,
    pub linkage_names: HashSet<String>,
}

/// What a scan found.
#[derive(Default)]
pub struct Found {
    pub functions: Vec<Function>,
    pub variables: Vec<Variable>,
}

impl<'d> Dwarf<'d> {
    /// Reads `file`'s DWARF; `None` if it has none.
    pub fn load(
        file: &object::File<'d>,
        relocations: &'d DebugRelocations,
    ) -> Result<Option<Self>, gimli::Error> {
        if file.section_by_name(".debug_info").is_none() || compressed(file) {
            return Ok(None);
        }
        let load = |id: SectionId| -> Result<R<'d>, gimli::Error> {
            let data = file
                .section_by_name(id.name())
                .and_then(|s| s.data().ok())
                .unwrap_or(&[]);
            Ok(RelocateReader::new(
                EndianSlice::new(data, LittleEndian),
                Relocs(relocations.0.get(&id)),
            ))
        };
        let dwarf = gimli::Dwarf::load(load)?;
        let mut units = Vec::new();
        let mut headers = dwarf.units();
        while let Some(header) = headers.next()? {
            units.push(dwarf.unit(header)?);
        }
        Ok(Some(Dwarf { dwarf, units }))
    }

    /// The functions and variables `wanted` names, wherever they are defined.
    pub fn scan(&self, wanted: &Wanted) -> Result<Found, gimli::Error> {
        let mut found = Found::default();
        for unit in &self.units {
            let mut entries = unit.entries();
            while let Some((_, entry)) = entries.next_dfs()? {
                match entry.tag() {
                    gimli::DW_TAG_subprogram => {
                        if let Some(function) = self.function(unit, entry, wanted)? {
                            found.functions.push(function);
                        }
                    }
                    gimli::DW_TAG_variable => {
                        if let Some(variable) = self.variable(unit, entry, wanted)? {
                            found.variables.push(variable);
                        }
                    }
                    _ => {}
                }
            }
        }
        Ok(found)
    }

    fn function(
        &self,
        unit: &Unit<R<'d>>,
        entry: &DebuggingInformationEntry<R<'d>>,
        wanted: &Wanted,
    ) -> Result<Option<Function>, gimli::Error> {
        let starts = self.starts(unit, entry)?;
        if starts.is_empty() {
            return Ok(None);
        }
        // An out-of-line copy of an inlined function, or a definition of a declaration, takes
        // its name and prototype from the DIE it refers to.
        let origin = self.origin(unit, entry)?;
        let described = match origin {
            Some(offset) => unit.entry(offset)?,
            None => entry.clone(),
        };
        let Some(name) = self.string(unit, &described, gimli::DW_AT_name)? else {
            return Ok(None);
        };
        let linkage_name = match self.string(unit, entry, gimli::DW_AT_linkage_name)? {
            Some(name) => Some(name),
            None => self.string(unit, &described, gimli::DW_AT_linkage_name)?,
        };
        let by_linkage = linkage_name
            .as_ref()
            .is_some_and(|l| wanted.linkage_names.contains(l));
        if !by_linkage && !wanted.names.contains(&name) {
            return Ok(None);
        }
        let offset = origin.unwrap_or(entry.offset());
        let proto = self.prototype(unit, offset, 0)?;
        let nocall = matches!(
            entry.attr_value(gimli::DW_AT_calling_convention)?,
            Some(AttributeValue::CallingConvention(gimli::DW_CC_nocall))
        ) || matches!(
            described.attr_value(gimli::DW_AT_calling_convention)?,
            Some(AttributeValue::CallingConvention(gimli::DW_CC_nocall))
        );
        let mut type_param = None;
        let mut tree = unit.entries_tree(Some(offset))?;
        let mut children = tree.root()?.children();
        while let Some(child) = children.next()? {
            if child.entry().tag() == gimli::DW_TAG_template_type_parameter {
                type_param = Some(self.type_attr(unit, child.entry(), 0)?);
                break;
            }
        }
        Ok(Some(Function {
            name,
            linkage_name,
            starts,
            proto,
            nocall,
            source: self.source(unit, &described)?,
            type_param,
        }))
    }

    fn variable(
        &self,
        unit: &Unit<R<'d>>,
        entry: &DebuggingInformationEntry<R<'d>>,
        wanted: &Wanted,
    ) -> Result<Option<Variable>, gimli::Error> {
        let Some(AttributeValue::Exprloc(expr)) = entry.attr_value(gimli::DW_AT_location)? else {
            return Ok(None);
        };
        let mut ops = expr.operations(unit.encoding());
        let address = match ops.next()? {
            Some(Operation::Address { address }) => address,
            Some(Operation::AddressIndex { index }) => self.dwarf.address(unit, index)?,
            _ => return Ok(None),
        };
        // A definition of a declaration names the declaration.
        let described = match entry.attr_value(gimli::DW_AT_specification)? {
            Some(AttributeValue::UnitRef(offset)) => unit.entry(offset)?,
            _ => entry.clone(),
        };
        let Some(name) = self.string(unit, &described, gimli::DW_AT_name)? else {
            return Ok(None);
        };
        if !wanted.names.contains(&name) {
            return Ok(None);
        }
        Ok(Some(Variable {
            name,
            address,
            ty: self.type_attr(unit, &described, 0)?,
            source: self.source(unit, &described)?,
        }))
    }

    fn starts(
        &self,
        unit: &Unit<R<'d>>,
        entry: &DebuggingInformationEntry<R<'d>>,
    ) -> Result<Vec<u64>, gimli::Error> {
        if let Some(value) = entry.attr_value(gimli::DW_AT_low_pc)? {
            return Ok(self.dwarf.attr_address(unit, value)?.into_iter().collect());
        }
        let mut starts = Vec::new();
        if let Some(value) = entry.attr_value(gimli::DW_AT_entry_pc)? {
            starts.extend(self.dwarf.attr_address(unit, value)?);
        }
        if let Some(value) = entry.attr_value(gimli::DW_AT_ranges)? {
            if let Some(offset) = self.dwarf.attr_ranges_offset(unit, value)? {
                let mut ranges = self.dwarf.ranges(unit, offset)?;
                while let Some(range) = ranges.next()? {
                    starts.push(range.begin);
                }
            }
        }
        Ok(starts)
    }

    fn origin(
        &self,
        unit: &Unit<R<'d>>,
        entry: &DebuggingInformationEntry<R<'d>>,
    ) -> Result<Option<UnitOffset>, gimli::Error> {
        for attr in [gimli::DW_AT_abstract_origin, gimli::DW_AT_specification] {
            if let Some(AttributeValue::UnitRef(offset)) = entry.attr_value(attr)? {
                // The origin may itself refer further (a declaration's definition, inlined).
                let origin = unit.entry(offset)?;
                return Ok(Some(self.origin(unit, &origin)?.unwrap_or(offset)));
            }
        }
        Ok(None)
    }

    fn string(
        &self,
        unit: &Unit<R<'d>>,
        entry: &DebuggingInformationEntry<R<'d>>,
        attr: gimli::DwAt,
    ) -> Result<Option<String>, gimli::Error> {
        match entry.attr_value(attr)? {
            Some(value) => {
                let s = self.dwarf.attr_string(unit, value)?;
                Ok(Some(s.to_string_lossy()?.into_owned()))
            }
            None => Ok(None),
        }
    }

    fn source(
        &self,
        unit: &Unit<R<'d>>,
        entry: &DebuggingInformationEntry<R<'d>>,
    ) -> Result<Source, gimli::Error> {
        let unit_name = match &unit.name {
            Some(name) => name.to_string_lossy()?.into_owned(),
            None => String::new(),
        };
        let decl = match (
            entry.attr_value(gimli::DW_AT_decl_file)?,
            entry.attr_value(gimli::DW_AT_decl_line)?,
        ) {
            (Some(AttributeValue::FileIndex(file)), Some(AttributeValue::Udata(line))) => {
                self.file_name(unit, file)?.map(|file| (file, line))
            }
            _ => None,
        };
        Ok(Source {
            unit: unit_name,
            decl,
        })
    }

    fn file_name(&self, unit: &Unit<R<'d>>, index: u64) -> Result<Option<String>, gimli::Error> {
        let Some(program) = &unit.line_program else {
            return Ok(None);
        };
        let header = program.header();
        let Some(file) = header.file(index) else {
            return Ok(None);
        };
        let name = self.dwarf.attr_string(unit, file.path_name())?;
        let name: Cow<str> = name.to_string_lossy()?;
        if name.starts_with('/') {
            return Ok(Some(name.into_owned()));
        }
        let dir = match file.directory(header) {
            Some(dir) => self
                .dwarf
                .attr_string(unit, dir)?
                .to_string_lossy()?
                .into_owned(),
            None => String::new(),
        };
        Ok(Some(if dir.is_empty() {
            name.into_owned()
        } else {
            format!("{dir}/{name}")
        }))
    }

    /// The prototype of the subprogram or subroutine type at `offset`.
    fn prototype(
        &self,
        unit: &Unit<R<'d>>,
        offset: UnitOffset,
        depth: usize,
    ) -> Result<Prototype, gimli::Error> {
        let entry = unit.entry(offset)?;
        let ret = self.type_attr(unit, &entry, depth)?;
        let mut params = Vec::new();
        let mut variadic = false;
        let mut tree = unit.entries_tree(Some(offset))?;
        let mut children = tree.root()?.children();
        while let Some(child) = children.next()? {
            let child = child.entry();
            match child.tag() {
                gimli::DW_TAG_formal_parameter => {
                    let described = match child.attr_value(gimli::DW_AT_abstract_origin)? {
                        Some(AttributeValue::UnitRef(origin)) => unit.entry(origin)?,
                        _ => child.clone(),
                    };
                    params.push(self.type_attr(unit, &described, depth)?);
                }
                gimli::DW_TAG_unspecified_parameters => variadic = true,
                _ => {}
            }
        }
        Ok(Prototype {
            params,
            ret,
            variadic,
        })
    }

    /// The type `entry`'s `DW_AT_type` refers to; `void` without one.
    fn type_attr(
        &self,
        unit: &Unit<R<'d>>,
        entry: &DebuggingInformationEntry<R<'d>>,
        depth: usize,
    ) -> Result<Type, gimli::Error> {
        match entry.attr_value(gimli::DW_AT_type)? {
            None => Ok(Type::Void),
            Some(AttributeValue::UnitRef(offset)) => self.resolve(unit, offset, depth),
            Some(other) => Ok(Type::Other(format!("<type {other:?}>"))),
        }
    }

    fn resolve(
        &self,
        unit: &Unit<R<'d>>,
        offset: UnitOffset,
        depth: usize,
    ) -> Result<Type, gimli::Error> {
        let entry = unit.entry(offset)?;
        let name = self.string(unit, &entry, gimli::DW_AT_name)?;
        let size = match entry.attr_value(gimli::DW_AT_byte_size)? {
            Some(value) => value.udata_value(),
            None => None,
        };
        Ok(match entry.tag() {
            gimli::DW_TAG_typedef
            | gimli::DW_TAG_const_type
            | gimli::DW_TAG_volatile_type
            | gimli::DW_TAG_restrict_type
            | gimli::DW_TAG_atomic_type => self.type_attr(unit, &entry, depth)?,
            gimli::DW_TAG_base_type => {
                let encoding = match entry.attr_value(gimli::DW_AT_encoding)? {
                    Some(AttributeValue::Encoding(e)) => e,
                    _ => gimli::DwAte(0),
                };
                let size = size.unwrap_or(0);
                match encoding {
                    _ if size == 0 => Type::Void,
                    gimli::DW_ATE_signed => Type::Int {
                        size,
                        signed: Some(true),
                    },
                    gimli::DW_ATE_unsigned => Type::Int {
                        size,
                        signed: Some(false),
                    },
                    gimli::DW_ATE_signed_char | gimli::DW_ATE_unsigned_char => {
                        Type::Int { size, signed: None }
                    }
                    gimli::DW_ATE_boolean => Type::Bool,
                    gimli::DW_ATE_float => Type::Float { size },
                    _ => Type::Other(name.unwrap_or_else(|| "<base type>".into())),
                }
            }
            gimli::DW_TAG_pointer_type
            | gimli::DW_TAG_reference_type
            | gimli::DW_TAG_rvalue_reference_type => {
                if depth >= MAX_DEPTH {
                    Type::Pointer(Box::new(Type::Other(UNFOLLOWED.into())))
                } else {
                    Type::Pointer(Box::new(self.type_attr(unit, &entry, depth + 1)?))
                }
            }
            gimli::DW_TAG_structure_type | gimli::DW_TAG_class_type => {
                self.structure(unit, &entry, name, size, depth)?
            }
            gimli::DW_TAG_union_type => Type::Aggregate {
                kind: Aggregate::Union,
                name,
                size,
            },
            gimli::DW_TAG_enumeration_type => match name.as_deref() {
                // Rust's `c_void` is an enum; what matters is that it means C's `void`.
                Some("c_void") => Type::Void,
                _ => Type::Int {
                    size: size.unwrap_or(0),
                    signed: None,
                },
            },
            gimli::DW_TAG_array_type => {
                // C's `int a[2][3]` is one array type with two subranges, Rust's `[[i32; 3]; 2]`
                // an array of arrays: both become the latter.
                let mut counts = Vec::new();
                let mut tree = unit.entries_tree(Some(offset))?;
                let mut children = tree.root()?.children();
                while let Some(child) = children.next()? {
                    let child = child.entry();
                    if child.tag() != gimli::DW_TAG_subrange_type {
                        continue;
                    }
                    counts.push(match child.attr_value(gimli::DW_AT_count)? {
                        Some(value) => value.udata_value(),
                        None => match child.attr_value(gimli::DW_AT_upper_bound)? {
                            Some(value) => value.udata_value().map(|upper| upper + 1),
                            None => None,
                        },
                    });
                }
                if counts.is_empty() {
                    counts.push(None);
                }
                let mut ty = self.type_attr(unit, &entry, depth)?;
                for count in counts.into_iter().rev() {
                    ty = Type::Array {
                        element: Box::new(ty),
                        count,
                    };
                }
                ty
            }
            gimli::DW_TAG_subroutine_type => {
                Type::Function(Box::new(self.prototype(unit, offset, depth + 1)?))
            }
            _ => Type::Other(name.unwrap_or_else(|| format!("<{}>", entry.tag()))),
        })
    }

    /// A struct; Rust's `NonNull<T>` is the pointer it wraps, and a Rust enum with data (which
    /// DWARF describes as a struct with a variant part) is named, not compared field by field.
    fn structure(
        &self,
        unit: &Unit<R<'d>>,
        entry: &DebuggingInformationEntry<R<'d>>,
        name: Option<String>,
        size: Option<u64>,
        depth: usize,
    ) -> Result<Type, gimli::Error> {
        let mut tree = unit.entries_tree(Some(entry.offset()))?;
        let mut children = tree.root()?.children();
        let mut members = Vec::new();
        let mut variants = false;
        let mut some = None;
        while let Some(child) = children.next()? {
            match child.entry().tag() {
                gimli::DW_TAG_variant_part => variants = true,
                gimli::DW_TAG_member => members.push(child.entry().clone()),
                // An enum's variants are structs nested in it.
                gimli::DW_TAG_structure_type
                    if self
                        .string(unit, child.entry(), gimli::DW_AT_name)?
                        .as_deref()
                        == Some("Some") =>
                {
                    some = Some(child.entry().offset());
                }
                _ => {}
            }
        }
        if variants {
            // `Option<fn>`, `Option<&T>`, `Option<NonNull<T>>`: a pointer where `None` is null,
            // as bindgen declares a C function pointer.
            if let (Some(n), Some(some), Some(8)) = (name.as_deref(), some, size) {
                if n.starts_with("Option<") {
                    let some = unit.entry(some)?;
                    let mut tree = unit.entries_tree(Some(some.offset()))?;
                    let mut fields = tree.root()?.children();
                    while let Some(field) = fields.next()? {
                        if field.entry().tag() == gimli::DW_TAG_member {
                            let payload = self.type_attr(unit, field.entry(), depth)?;
                            if matches!(payload, Type::Pointer(_)) {
                                return Ok(payload);
                            }
                        }
                    }
                }
            }
            return Ok(Type::Other(name.unwrap_or_else(|| "<enum>".into())));
        }
        if let (Some(n), [member]) = (name.as_deref(), members.as_slice()) {
            if n.starts_with("NonNull<") {
                return self.type_attr(unit, member, depth);
            }
        }
        Ok(Type::Aggregate {
            kind: Aggregate::Struct,
            name,
            // An opaque Rust declaration (`_d: [u8; 0]`) says nothing of the size.
            size: size.filter(|&s| s != 0),
        })
    }
}
