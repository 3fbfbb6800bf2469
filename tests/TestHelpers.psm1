# The one helper module every Pester file imports. It starts and stops tenant emulators, talks to
# their control endpoints, connects Dropzone.ExoSetup to them, and loads the fake
# ExchangeOnlineManagement module. Nothing here mocks the module under test.
Set-StrictMode -Version Latest

$script:RepoRoot = Split-Path -Parent $PSScriptRoot
$script:Emulators = [System.Collections.Generic.List[object]]::new()

function Get-TestRepoRoot { $script:RepoRoot }

function Get-TestModulePath {
    <# The built module, as Build assembled it. #>
    Join-Path $script:RepoRoot 'out/Dropzone.ExoSetup'
}

function Get-TestTenantFile {
    param([Parameter(Mandatory)][string] $Tenant)
    if (Test-Path -LiteralPath $Tenant -PathType Leaf) { return (Resolve-Path -LiteralPath $Tenant).Path }
    $file = Join-Path $PSScriptRoot "TenantEmulator/tenants/$Tenant.json"
    if (-not (Test-Path -LiteralPath $file)) { throw "No tenant file '$Tenant' (looked for $file)" }
    $file
}

function Start-TestEmulator {
    <#
    .SYNOPSIS
    Starts a tenant emulator process on 127.0.0.1 with the given tenant and returns a handle
    (BaseUri, Port, Process). It exits by itself when this pwsh process ends.
    #>
    param(
        [string] $Tenant = 'default',
        [int] $TimeoutSeconds = 15
    )
    $tenantFile = Get-TestTenantFile $Tenant
    $dll = Join-Path $script:RepoRoot 'out/tools/TenantEmulator/TenantEmulator.dll'
    if (-not (Test-Path -LiteralPath $dll)) { throw "The emulator is not built ($dll): run ./build.ps1 Build first." }
    $portFile = Join-Path ([IO.Path]::GetTempPath()) ("dz-emulator-{0}.port" -f [guid]::NewGuid())

    $psi = [Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in @($dll, '--tenant', $tenantFile, '--port-file', $portFile, '--parent-pid', $PID)) { $psi.ArgumentList.Add([string]$a) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $process = [Diagnostics.Process]::Start($psi)
    # Drain both pipes so the emulator can never block on a full one.
    $null = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()

    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while (-not (Test-Path -LiteralPath $portFile)) {
        if ($process.HasExited) { throw "The emulator exited with code $($process.ExitCode): $($stderr.Result)" }
        if ([DateTime]::UtcNow -gt $deadline) {
            $process.Kill($true)
            throw "The emulator did not report its port within $TimeoutSeconds s."
        }
        Start-Sleep -Milliseconds 25
    }
    $port = [int](Get-Content -LiteralPath $portFile -Raw)
    Remove-Item -LiteralPath $portFile -ErrorAction SilentlyContinue
    $emulator = [pscustomobject]@{
        PSTypeName = 'Dropzone.Test.Emulator'
        BaseUri    = "http://127.0.0.1:$port"
        Port       = $port
        Process    = $process
        TenantFile = $tenantFile
    }
    $script:Emulators.Add($emulator)
    $emulator
}

function Stop-TestEmulator {
    <# Stops the given emulator, or every emulator this session started. #>
    param([Parameter(ValueFromPipeline)] $Emulator)
    process {
        $targets = if ($Emulator) { @($Emulator) } else { @($script:Emulators) }
        foreach ($e in $targets) {
            if (-not $e.Process.HasExited) {
                $e.Process.Kill($true)
                $null = $e.Process.WaitForExit(5000)
            }
            $e.Process.Dispose()
            $null = $script:Emulators.Remove($e)
        }
    }
}

function Invoke-EmulatorControl {
    <# Calls a control endpoint (/_emulator/...) of an emulator; the body is sent as JSON. #>
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)][string] $Path,
        [string] $Method = 'GET',
        $Body
    )
    $params = @{ Uri = "$($Emulator.BaseUri)/_emulator/$($Path.TrimStart('/'))"; Method = $Method }
    if ($PSBoundParameters.ContainsKey('Body')) {
        $params.Body = if ($Body -is [string]) { $Body } else { $Body | ConvertTo-Json -Depth 20 -Compress }
        $params.ContentType = 'application/json'
    }
    Invoke-RestMethod @params
}

# --- Graph side of the emulator (state, request log, faults) -------------------------------------

# --- Exchange side (fake ExchangeOnlineManagement) -----------------------------------------------

Export-ModuleMember -Function *-*
