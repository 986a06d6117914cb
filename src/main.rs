use std::process::ExitCode;

fn main() -> ExitCode {
    // No arguments: the desktop app. Any argument: the command line.
    if std::env::args_os().len() <= 1 {
        return match hemicycle::ui::run() {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("Hemicycle could not open its window: {err}");
                ExitCode::FAILURE
            }
        };
    }
    hemicycle::cli::main()
}
