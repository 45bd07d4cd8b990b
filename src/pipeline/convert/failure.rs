//! Why one input of a `convert` run was not converted.

use std::path::Path;

use crate::convert::batch::WriteError;
use crate::convert::ConvertError;
use crate::Error;

/// Why one input was not converted.
#[derive(Debug, thiserror::Error)]
pub enum FileFailure {
    /// The path could not be walked or read.
    #[error(transparent)]
    Input(Error),
    /// Reading or converting the file.
    #[error(transparent)]
    Convert(#[from] ConvertError),
    /// Its output may not or could not be written (the message names the
    /// output), or the conversion failed on its way there.
    #[error(transparent)]
    Output(WriteError),
    /// Refused before it was read: its output is another's, or outside the
    /// output folder.
    #[error("{0}")]
    Refused(String),
    /// The paths given hold nothing to convert.
    #[error("the paths given hold no input")]
    NoInput,
}

impl FileFailure {
    /// Whether the message names the input already: an error of reading
    /// names the file read; an output problem names the output, which is
    /// the input only when `output` is the input's own name.
    pub(super) fn names_the_input(&self, name: &str, output: Option<&Path>) -> bool {
        match self {
            FileFailure::Input(error)
            | FileFailure::Convert(ConvertError::Chatlint(error))
            | FileFailure::Output(WriteError::Convert(ConvertError::Chatlint(error))) => {
                error.names_a_file()
            }
            FileFailure::Output(WriteError::Output(_)) => {
                output.is_some_and(|output| output.display().to_string() == name)
            }
            FileFailure::Convert(_)
            | FileFailure::Output(WriteError::Convert(_))
            | FileFailure::Refused(_)
            | FileFailure::NoInput => false,
        }
    }
}
