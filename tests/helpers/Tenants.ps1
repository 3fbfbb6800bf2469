# Tenants for the emulator: the seed files in tests/TenantEmulator/tenants and tenants generated from
# a seed (reliability suite). Part of TestHelpers.psm1 (dot-sourced into it).

function Get-TestTenantFile {
    param([Parameter(Mandatory)][string] $Tenant)
    if (Test-Path -LiteralPath $Tenant -PathType Leaf) { return (Resolve-Path -LiteralPath $Tenant).Path }
    $file = Join-Path $script:TestsRoot "TenantEmulator/tenants/$Tenant.json"
    if (-not (Test-Path -LiteralPath $file)) { throw "No tenant file '$Tenant' (looked for $file)" }
    $file
}

function Get-TestOrganization {
    <# The tenant's initial *.onmicrosoft.com domain, read from the emulator's tenant file. #>
    param([Parameter(Mandatory)] $Emulator)
    $tenant = Get-Content -LiteralPath $Emulator.TenantFile -Raw | ConvertFrom-Json
    $initial = @($tenant.domains | Where-Object { $_.PSObject.Properties['isInitial'] -and $_.isInitial })
    if ($initial.Count -gt 0) { return [string]$initial[0].id }
    'contoso.onmicrosoft.com'
}

function New-GeneratedTenant {
    <#
    .SYNOPSIS
    A tenant like `default` with extras drawn at random from -Seed (the same seed, the same tenant):
    other certificates and client secrets on the "Dropzone AI" app, other APIs' permissions
    (sometimes another Exchange role), sometimes its service principal with other app role
    assignments, other apps with service principals, Exchange service principals and role
    assignments. Certificates come from -CertificatePool. With -ExpiredCertificatePool, about one
    tenant in three also has expired certificates on the app (last year's vendor certificate among
    them); with -PreviousVendorCertificate, about one in three has it on the app as 'Dropzone AI'
    (the vendor's certificate before rotation). Returns an ordered hashtable for Set-EmulatorState.
    #>
    param(
        [Parameter(Mandatory)][int] $Seed,
        [Parameter(Mandatory)][object[]] $CertificatePool,
        [object[]] $ExpiredCertificatePool,
        $PreviousVendorCertificate
    )
    $random = [Random]::new($Seed)
    $guid = { $bytes = [byte[]]::new(16); $random.NextBytes($bytes); [guid]::new($bytes).ToString() }
    $iso = { param($date) ([DateTimeOffset]$date).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ') }
    $take = { param($items, [int] $count) @($items | Sort-Object { $random.Next() } | Select-Object -First $count) }
    $upTo = { param([int] $max) $k = $random.Next(0, $max + 1); if ($k -gt 0) { 1..$k } }

    $tenant = Get-Content (Get-TestTenantFile default) -Raw | ConvertFrom-Json -AsHashtable
    $graphSp = $tenant.servicePrincipals | Where-Object { $_.appId -eq '00000003-0000-0000-c000-000000000000' }
    $exchangeSp = $tenant.servicePrincipals | Where-Object { $_.appId -eq '00000002-0000-0ff1-ce00-000000000000' }
    $graphRoles = @($graphSp.appRoles | ForEach-Object id)
    $app = $tenant.applications[0]

    $n = 0
    $app.keyCredentials = @(& $take $CertificatePool $random.Next(0, 4) | ForEach-Object {
        $n++
        [ordered]@{
            customKeyIdentifier = $_.Thumbprint; displayName = "Other certificate $n"; endDateTime = & $iso $_.NotAfter
            key = [Convert]::ToBase64String($_.RawData); keyId = & $guid; startDateTime = & $iso $_.NotBefore
            type = 'AsymmetricX509Cert'; usage = 'Verify'
        }
    })
    # Drawn from a random of their own, so the other extras of a seed stay what they were.
    $extra = [Random]::new($Seed * 31 + 7)
    $stored = { param($certificate, $name)
        [ordered]@{
            customKeyIdentifier = $certificate.Thumbprint; displayName = $name; endDateTime = & $iso $certificate.NotAfter
            key = [Convert]::ToBase64String($certificate.RawData); keyId = $(& { $b = [byte[]]::new(16); $extra.NextBytes($b); [guid]::new($b).ToString() })
            startDateTime = & $iso $certificate.NotBefore; type = 'AsymmetricX509Cert'; usage = 'Verify'
        }
    }
    if ($ExpiredCertificatePool -and $extra.Next(3) -eq 0) {
        $count = $extra.Next(1, [Math]::Min(2, $ExpiredCertificatePool.Count) + 1)
        $names = @('Dropzone AI', 'Expired certificate')
        $app.keyCredentials += @(0..($count - 1) | ForEach-Object { & $stored $ExpiredCertificatePool[$_] $names[$_ % 2] })
    }
    if ($PreviousVendorCertificate -and $extra.Next(3) -eq 0) {
        $app.keyCredentials += @(& $stored $PreviousVendorCertificate 'Dropzone AI')
    }
    $app.passwordCredentials = @(& $upTo 2 | ForEach-Object {
        [ordered]@{ customKeyIdentifier = $null; displayName = "Secret $_"; endDateTime = '2028-01-01T00:00:00Z'; hint = "s$_"
            keyId = & $guid; secretText = $null; startDateTime = '2026-01-01T00:00:00Z' }
    })
    $permissions = @()
    $chosenGraph = & $take $graphRoles $random.Next(0, $graphRoles.Count + 1)
    if ($chosenGraph) { $permissions += [ordered]@{ resourceAppId = $graphSp.appId; resourceAccess = @($chosenGraph | ForEach-Object { [ordered]@{ id = $_; type = 'Role' } }) } }
    if ($random.Next(2) -eq 1) { $permissions += [ordered]@{ resourceAppId = $exchangeSp.appId; resourceAccess = @([ordered]@{ id = 'dc890d15-9560-4a4c-9b7f-a736ec74ec40'; type = 'Role' }) } }
    $app.requiredResourceAccess = $permissions

    $assign = { param($principal, $roleId)
        [ordered]@{ id = (& $guid); appRoleId = $roleId; createdDateTime = '2026-02-01T00:00:00Z'; deletedDateTime = $null
            principalDisplayName = $principal.displayName; principalId = $principal.id; principalType = 'ServicePrincipal'
            resourceDisplayName = $graphSp.displayName; resourceId = $graphSp.id }
    }
    $newSp = { param($appId, $name) [ordered]@{ id = (& $guid); appId = $appId; displayName = $name; servicePrincipalType = 'Application'; appRoles = @(); tags = @() } }
    if ($random.Next(2) -eq 1) {
        $sp = & $newSp $app.appId $app.displayName
        $tenant.servicePrincipals += $sp
        foreach ($role in (& $take $graphRoles $random.Next(0, 3))) { $tenant.appRoleAssignments += & $assign $sp $role }
    }
    foreach ($i in (& $upTo 2)) {
        $otherAppId = & $guid
        $tenant.applications += [ordered]@{ id = (& $guid); appId = $otherAppId; displayName = "Other app $i"; keyCredentials = @(); passwordCredentials = @(); requiredResourceAccess = @() }
        $sp = & $newSp $otherAppId "Other app $i"
        $tenant.servicePrincipals += $sp
        foreach ($role in (& $take $graphRoles $random.Next(0, 2))) { $tenant.appRoleAssignments += & $assign $sp $role }
        if ($random.Next(2) -eq 1) {
            $tenant.exchange.servicePrincipals += [ordered]@{ objectId = $sp.id; appId = $otherAppId; displayName = $sp.displayName }
            $role = @('Transport Hygiene', 'Mail Recipients')[$random.Next(2)]
            $tenant.exchange.roleAssignments += [ordered]@{ name = "$role-$($sp.id)"; role = $role; roleAssigneeName = $sp.id
                roleAssigneeType = 'ServicePrincipal'; assignmentMethod = 'Direct'; enabled = $true; delegating = $false }
        }
    }
    $tenant
}

function Set-CustomerTenant {
    <#
    .SYNOPSIS
    Makes -Tenant (a hashtable: the seed read with -AsHashtable, or New-GeneratedTenant) a customer
    tenant of its own for an emulator with several tenants: -TenantId, its organization named
    -DisplayName, -Domain as its one initial domain, and its "Dropzone AI" app under new ids (the app's
    service principals follow). Returns the app.
    #>
    param(
        [Parameter(Mandatory)] $Tenant,
        [Parameter(Mandatory)][string] $TenantId,
        [Parameter(Mandatory)][string] $Domain,
        [Parameter(Mandatory)][string] $DisplayName
    )
    $Tenant.tenantId = $TenantId
    $Tenant.organization.id = $TenantId
    $Tenant.organization.displayName = $DisplayName
    $Tenant.domains = @([ordered]@{ id = $Domain; isInitial = $true; isDefault = $true; isVerified = $true; authenticationType = 'Managed'; supportedServices = @('Email') })
    $app = $Tenant.applications[0]
    $oldAppId = $app.appId
    $app.appId = [guid]::NewGuid().ToString()
    $app.id = [guid]::NewGuid().ToString()
    foreach ($sp in @($Tenant.servicePrincipals | Where-Object { $_.appId -eq $oldAppId })) { $sp.appId = $app.appId }
    $app
}

function Initialize-TenantShape {
    <#
    .SYNOPSIS
    Brings the emulator's tenant (reset to its seed first) into one of the shapes the set-up meets:
    'portal app' (the app and its Enterprise application, as the portal's App registrations blade
    leaves them, nothing else), 'app only' (the seed: no service principal), 'done' (after -SetUp),
    'Entra done / Exchange empty' (after -SetUp, Exchange's service principal and role assignment of
    the app removed) and 'Exchange done / Entra empty' (after -SetUp, the app's certificates,
    permissions and admin consent removed). -SetUp is the full set-up by the tool to be measured;
    after it the Graph connection is made again (another day, another sign-in), so the module's
    session memory of what it created does not outlive the change.
    #>
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)][guid] $AppId,
        [Parameter(Mandatory)][ValidateSet('portal app', 'app only', 'done', 'Entra done / Exchange empty', 'Exchange done / Entra empty')][string] $Shape,
        [scriptblock] $SetUp,
        [scriptblock] $AfterReset
    )
    Reset-EmulatorState -Emulator $Emulator
    if ($AfterReset) { & $AfterReset }
    if ($Shape -eq 'portal app') {
        $null = Invoke-RestMethod -Uri "$($Emulator.BaseUri)/v1.0/servicePrincipals" -Method Post -Headers @{ Authorization = 'Bearer t' } `
            -ContentType 'application/json' -Body (@{ appId = "$AppId"; tags = @('WindowsAzureActiveDirectoryIntegratedApp') } | ConvertTo-Json)
    } elseif ($Shape -ne 'app only') {
        if (-not $SetUp) { throw "The shape '$Shape' needs -SetUp." }
        $null = & $SetUp
        $state = Get-EmulatorState -Emulator $Emulator
        $sp = @($state.servicePrincipals | Where-Object appId -EQ "$AppId")[0]
        if ($Shape -eq 'Entra done / Exchange empty') {
            $state.exchange.servicePrincipals = @($state.exchange.servicePrincipals | Where-Object objectId -NE $sp.id)
            $state.exchange.roleAssignments = @($state.exchange.roleAssignments | Where-Object roleAssigneeName -NE $sp.id)
        } elseif ($Shape -eq 'Exchange done / Entra empty') {
            $app = @($state.applications | Where-Object appId -EQ "$AppId")[0]
            $app.keyCredentials = @()
            $app.requiredResourceAccess = @()
            $state.appRoleAssignments = @($state.appRoleAssignments | Where-Object principalId -NE $sp.id)
        }
        Set-EmulatorState -Emulator $Emulator -State $state
        $null = Connect-TestGraph -Emulator $Emulator
    }
}
