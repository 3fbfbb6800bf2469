# Child processes of the tests: `dotnet` with both pipes read (the emulator, a fresh pwsh), and a
# script run in a fresh pwsh that answers with JSON. Part of TestHelpers.psm1 (dot-sourced into it).

function Start-DotnetProcess {
    <#
    .SYNOPSIS
    Starts `dotnet <arguments>` in the repository root (or -WorkingDirectory) with both pipes read
    asynchronously (so the child can never block on a full pipe), with -Environment's variables set
    for the child alone. Returns the process and the two read tasks.
    #>
    param(
        [Parameter(Mandatory)][string[]] $Arguments,
        [string] $WorkingDirectory = $script:RepoRoot,
        [hashtable] $Environment = @{}
    )
    $psi = [Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in $Arguments) { $psi.ArgumentList.Add([string]$a) }
    foreach ($name in $Environment.Keys) { $psi.Environment[$name] = [string]$Environment[$name] }
    $psi.WorkingDirectory = $WorkingDirectory
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $process = [Diagnostics.Process]::Start($psi)
    [pscustomobject]@{
        Process        = $process
        StandardOutput = $process.StandardOutput.ReadToEndAsync()
        StandardError  = $process.StandardError.ReadToEndAsync()
    }
}

function Invoke-FreshPwsh {
    <#
    .SYNOPSIS
    Runs a script in a new pwsh process (no profile) and returns what it wrote as JSON on its last
    output line, parsed. The script gets the repository root as $args[0] and -Arguments after it.
    #>
    param(
        [Parameter(Mandatory)][string] $Script,
        [string[]] $Arguments = @(),
        [int] $TimeoutSeconds = 120,
        # Variables set for the child alone (SSL_CERT_FILE for the emulator's authority, say).
        [hashtable] $Environment = @{}
    )
    $file = Join-Path ([IO.Path]::GetTempPath()) ("dz-fresh-{0}.ps1" -f [guid]::NewGuid())
    Set-Content -LiteralPath $file -Value $Script
    try {
        $started = Start-DotnetProcess -Arguments (@('pwsh', '-NoProfile', '-NonInteractive', '-File', $file, $script:RepoRoot) + $Arguments) -Environment $Environment
        $process, $stdout, $stderr = $started.Process, $started.StandardOutput, $started.StandardError
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill($true)
            throw "The fresh pwsh did not finish within $TimeoutSeconds s."
        }
        $process.WaitForExit()
        $lines = @($stdout.Result -split "`r?`n" | Where-Object { $_.Trim() })
        if ($process.ExitCode -ne 0 -or -not $lines) {
            throw "The fresh pwsh exited with $($process.ExitCode).`nstdout: $($stdout.Result)`nstderr: $($stderr.Result)"
        }
        $lines[-1] | ConvertFrom-Json
    } finally {
        Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
    }
}
