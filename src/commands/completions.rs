//! `upgrade-atlas completions SHELL`: clap_complete's script, mended where
//! it does not work for a command whose name holds a hyphen.

use clap_complete::Shell;

/// The completion script for `shell`, for the command `command` run as
/// `bin_name`.
pub fn script(shell: Shell, command: &mut clap::Command, bin_name: &str) -> String {
    let mut bytes = Vec::new();
    clap_complete::generate(shell, command, bin_name, &mut bytes);
    let script = String::from_utf8(bytes).expect("completion scripts are UTF-8");
    match shell {
        Shell::Bash => mend_bash(&script, bin_name),
        _ => script,
    }
}

/// clap_complete's bash script tracks where the words have led in `cmd`,
/// spelling the command `upgrade__atlas__subcmd__export`, but labels the
/// arms that complete each subcommand `upgrade__subcmd__atlas__subcmd__export`
/// (it escapes the command's hyphen as a subcommand separator there), so
/// no arm matched and nothing after a subcommand completed
/// (clap-rs/clap#6421). The labels are spelt as `cmd` is; once clap_complete
/// spells them alike, there is nothing to replace.
fn mend_bash(script: &str, bin_name: &str) -> String {
    let tracked = bin_name.replace('-', "__");
    let labelled = bin_name.replace('-', "__subcmd__");
    if tracked == labelled {
        return script.to_owned();
    }
    script.replace(
        &format!("{labelled}__subcmd__"),
        &format!("{tracked}__subcmd__"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bash_arms_are_labelled_as_the_words_lead() {
        let mut command = clap::Command::new("my-app")
            .subcommand(clap::Command::new("thunder").arg(clap::arg!(--lightning)));
        let script = script(Shell::Bash, &mut command, "my-app");
        assert!(
            script.contains("cmd=\"my__app__subcmd__thunder\""),
            "{script}"
        );
        assert!(
            script.contains("\n        my__app__subcmd__thunder)"),
            "{script}"
        );
        assert!(!script.contains("my__subcmd__app"), "{script}");
        assert_eq!(mend_bash("plain__subcmd__x", "plain"), "plain__subcmd__x");
    }
}
