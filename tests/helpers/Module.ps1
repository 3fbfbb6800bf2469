# The module under test (out/Dropzone.ExoSetup, as Build assembled it): test tokens, connecting it to
# an emulator, and running it in several runspaces at once. Nothing here mocks it.
# Part of TestHelpers.psm1 (dot-sourced into it).

function Get-TestModulePath {
    <# The built module, as Build assembled it. #>
    Join-Path $script:RepoRoot 'out/Dropzone.ExoSetup'
}

function New-TestAccessToken {
    <#
    .SYNOPSIS
    An unsigned JWT (alg none) with the given claims, as a SecureString. The module reads its claims
    for the context and its pre-write check; the emulator refuses Graph writes its scp (or, with
    -Roles, its roles) does not allow, and any request once it has expired. By default it holds the
    delegated scopes device code sign-in asks for, so it may do every step.
    #>
    param(
        [string] $TenantId = '00000000-0000-0000-0000-0000000000aa',
        [string] $Account = 'admin@contoso.onmicrosoft.com',
        [string] $Marker = 'test',
        [string[]] $Scopes = @('Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All', 'User.Read'),
        # Application permissions: an app-only token (no scp) when given.
        [string[]] $Roles,
        [DateTimeOffset] $ExpiresOn = [DateTimeOffset]::UtcNow.AddHours(1)
    )
    $encode = { param($json) [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($json)).TrimEnd('=').Replace('+', '-').Replace('/', '_') }
    $claims = [ordered]@{ tid = $TenantId; upn = $Account; exp = $ExpiresOn.ToUnixTimeSeconds(); marker = $Marker }
    if ($PSBoundParameters.ContainsKey('Roles')) { $claims.roles = @($Roles) } else { $claims.scp = @($Scopes) -join ' ' }
    $payload = $claims | ConvertTo-Json -Compress
    $token = (& $encode '{"alg":"none","typ":"JWT"}') + '.' + (& $encode $payload) + '.unsigned'
    ConvertTo-SecureString -String $token -AsPlainText -Force
}

function Get-TestTokenText {
    <# The text of a SecureString token: for asserting that it never appears in any output. #>
    param([Parameter(Mandatory)][securestring] $Token)
    [Net.NetworkCredential]::new('', $Token).Password
}

function Connect-TestGraph {
    <# Connects Dropzone.ExoSetup (already imported) to an emulator with a test token. #>
    param(
        [Parameter(Mandatory)] $Emulator,
        [securestring] $Token = (New-TestAccessToken),
        [string] $Environment = 'Global'
    )
    Connect-DropzoneGraph -AccessToken $Token -GraphEndpoint $Emulator.BaseUri -Environment $Environment
}

function Invoke-ConcurrentRun {
    <#
    .SYNOPSIS
    Runs each -ScriptBlock in a runspace of its own (ForEach-Object -Parallel), all at the same
    moment: each imports the module, connects to the emulator, makes one Graph read (so no run pays
    the first call's start-up while the others write), then waits for the others at a barrier.
    .DESCRIPTION
    Each block gets one argument: a copy of -Arguments with Index (0, 1, ...) and Token (the test
    token) added. Returns one object per run, in order: Index, Output, Errors (ErrorRecords, a
    terminating one included), Warnings (messages). ForEach-Object -Parallel returns only when every
    runspace has ended (-TimeoutSeconds stops the rest), so nothing is left running.
    #>
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)][scriptblock[]] $ScriptBlock,
        [hashtable] $Arguments = @{},
        [int] $TimeoutSeconds = 180
    )
    $modulePath = Get-TestModulePath
    $token = New-TestAccessToken
    # Script blocks cannot cross runspaces; their text can.
    $texts = @($ScriptBlock | ForEach-Object { $_.ToString() })
    $barrier = [Threading.Barrier]::new($texts.Count)
    try {
        $runs = 0..($texts.Count - 1) | ForEach-Object -ThrottleLimit $texts.Count -TimeoutSeconds $TimeoutSeconds -Parallel {
            $index = $_
            $items = [Collections.Generic.List[object]]::new()
            $ready = $false
            try {
                Import-Module $using:modulePath
                $null = Connect-DropzoneGraph -AccessToken $using:token -GraphEndpoint ($using:Emulator).BaseUri
                $null = Get-DropzoneOrganizationId
                $ready = $true
            } catch {
                $items.Add($_)
            } finally {
                $null = ($using:barrier).SignalAndWait([TimeSpan]::FromSeconds(60))
            }
            if ($ready) {
                $arguments = ($using:Arguments).Clone()
                $arguments.Index = $index
                $arguments.Token = $using:token
                $block = [scriptblock]::Create(($using:texts)[$index])
                try { & $block $arguments *>&1 | ForEach-Object { $items.Add($_) } } catch { $items.Add($_) }
                Disconnect-DropzoneGraph
            }
            [pscustomobject]@{
                Index    = $index
                Output   = @($items | Where-Object { $_ -isnot [Management.Automation.ErrorRecord] -and $_ -isnot [Management.Automation.WarningRecord] -and $_ -isnot [Management.Automation.VerboseRecord] -and $_ -isnot [Management.Automation.InformationRecord] -and $_ -isnot [Management.Automation.DebugRecord] })
                Errors   = @($items | Where-Object { $_ -is [Management.Automation.ErrorRecord] })
                Warnings = @($items | Where-Object { $_ -is [Management.Automation.WarningRecord] } | ForEach-Object Message)
            }
        }
    } finally {
        $barrier.Dispose()
    }
    @($runs | Sort-Object Index)
}
