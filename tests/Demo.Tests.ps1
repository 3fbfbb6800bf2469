# The newcomer's first command, `build.ps1 Demo`, runs tests/Demo/Invoke-Demo.ps1 in a fresh pwsh.
# This runs that script the same way once (against the module Build assembled) and pins what it
# promises: it says it is an emulator, ends with the Organization ID, writes nothing the second
# time, never prints a token, and leaves no emulator behind.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:DemoScript = Join-Path $PSScriptRoot 'Demo/Invoke-Demo.ps1'
    $timeoutSeconds = 120

    $stopwatch = [Diagnostics.Stopwatch]::StartNew()
    $started = Start-DotnetProcess -Arguments @('pwsh', '-NoProfile', '-NonInteractive', '-File', $DemoScript)
    if (-not $started.Process.WaitForExit($timeoutSeconds * 1000)) {
        $started.Process.Kill($true)
        throw "The demo did not finish within $timeoutSeconds s."
    }
    $started.Process.WaitForExit()
    $stopwatch.Stop()
    $script:ExitCode = $started.Process.ExitCode
    $script:Output = $started.StandardOutput.Result
    $script:ErrorOutput = $started.StandardError.Result
    $script:Lines = @($Output -split "`r?`n")
    $script:Seconds = $stopwatch.Elapsed.TotalSeconds
    $started.Process.Dispose()
    # Every assertion's message carries the demo's output, so a failure explains itself.
    $script:Transcript = "exit code $ExitCode after $([int]$Seconds) s`nstdout:`n$Output`nstderr:`n$ErrorOutput"
    Write-Host "The demo ran in $([math]::Round($Seconds, 1)) s (exit code $ExitCode)."
}

Describe 'The demo (tests/Demo/Invoke-Demo.ps1)' {
    It 'succeeds, with exit code 0 and nothing on stderr' {
        $ExitCode | Should -Be 0 -Because $Transcript
        $ErrorOutput.Trim() | Should -BeNullOrEmpty -Because $Transcript
    }

    It 'says first that it runs against a local tenant emulator, not Microsoft 365' {
        $opening = ($Lines | Where-Object { $_.Trim() } | Select-Object -First 4) -join "`n"
        $opening | Should -Match 'LOCAL TENANT EMULATOR on 127\.0\.0\.1' -Because $Transcript
        $opening | Should -Match 'fake ExchangeOnlineManagement' -Because $Transcript
        $opening | Should -Match 'not Microsoft 365' -Because $Transcript
        $opening | Should -Match 'nothing leaves this machine' -Because $Transcript
    }

    It 'shows the values to paste into the Dropzone UI: the three IDs and the client secret''s hint' {
        $Output | Should -Match 'Paste into the Dropzone UI' -Because $Transcript
        $Output | Should -Match '\|\s+Organization ID = contoso\.onmicrosoft\.com\s+\|' -Because $Transcript
        $Output | Should -Match '\|\s+Application \(client\) ID = [0-9a-f-]{36}\s+\|' -Because $Transcript
        $Output | Should -Match '\|\s+Directory \(tenant\) ID = 6f2d4e1a-3c5b-4a7e-9d8f-1b2c3d4e5f60\s+\|' -Because $Transcript
        $Output | Should -Match "\|\s+Client secret = the one starting 'x7Q', expires 2027-06-30\s+\|" -Because $Transcript
    }

    It 'shows that the second run wrote nothing' {
        $Output | Should -Match 'Second run: 0 writes to the tenant' -Because $Transcript
        $Output | Should -Match 'AlreadyDone' -Because $Transcript
    }

    It 'keeps the app''s other certificates and its client secret' {
        $Output | Should -Match 'Kept: 2 certificate\(s\) \(Mail archiver, CN=Contoso Reporting\), 1 client secret\(s\)' -Because $Transcript
    }

    It 'prints no token' {
        # Bearer headers, JWTs (base64 of '{"'), the fake Exchange token and the unsigned test token's tail.
        foreach ($pattern in 'Bearer', '(?-i)eyJ', 'dummy-exchange-token', '\.unsigned\b', 'Authorization:') {
            $Output | Should -Not -Match $pattern -Because "the demo must never print a token ($pattern)"
            $ErrorOutput | Should -Not -Match $pattern -Because "the demo must never print a token ($pattern)"
        }
    }

    It 'leaves no tenant emulator running' {
        $announced = $Output -match 'Tenant emulator listening on http://127\.0\.0\.1:\d+ \(pid (\d+)\)'
        $announced | Should -BeTrue -Because $Transcript
        $emulatorPid = [int]$Matches[1]
        # It is stopped in the demo's finally, and would exit with its parent within a second anyway.
        $deadline = [DateTime]::UtcNow.AddSeconds(5)
        do {
            $alive = Get-Process -Id $emulatorPid -ErrorAction SilentlyContinue |
                Where-Object { $_.CommandLine -match 'TenantEmulator\.dll' }
            if ($alive) { Start-Sleep -Milliseconds 100 }
        } while ($alive -and [DateTime]::UtcNow -lt $deadline)
        $alive | Should -BeNullOrEmpty -Because "the demo's emulator (pid $emulatorPid) must be gone"
    }

    It 'runs in under a minute' {
        $Seconds | Should -BeLessThan 60 -Because $Transcript
    }
}
