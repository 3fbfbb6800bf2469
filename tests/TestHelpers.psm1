# The one helper module every Pester file imports (and the demo, the bench and the fresh pwsh
# processes of some suites). It loads one file per concern from tests/helpers:
#   Session.ps1       Enter-DropzoneTestSession / Exit-DropzoneTestSession: a suite's set-up and tear-down
#   Emulator.ps1      tenant emulator processes and their control endpoints (state, log, faults, options)
#   Tenants.ps1       seed tenant files and generated tenants
#   Certificates.ps1  certificates made in memory and their keyCredentials entries
#   Module.ps1        the module under test: test tokens, Graph connection, concurrent runs
#   FakeExchange.ps1  the fake ExchangeOnlineManagement module and the emulator's Exchange side
#   Processes.ps1     child processes (dotnet, a fresh pwsh)
# They are dot-sourced into this module's scope, so they share its state and call each other, and
# a suite still imports one file. Nothing here mocks the module under test.
Set-StrictMode -Version Latest

$script:RepoRoot = Split-Path -Parent $PSScriptRoot
$script:TestsRoot = $PSScriptRoot

function Get-TestRepoRoot { $script:RepoRoot }

foreach ($concern in 'Processes', 'Emulator', 'Tenants', 'Certificates', 'Module', 'FakeExchange', 'Session') {
    . (Join-Path $PSScriptRoot "helpers/$concern.ps1")
}

Export-ModuleMember -Function *-*
