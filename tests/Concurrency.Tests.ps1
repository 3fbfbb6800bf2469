# Nothing lost when two runs meet. Graph has no ETag on applications and a PATCH replaces the whole
# collection, so a second writer's PATCH can silently undo ours: the module reads every write back,
# writes again what was undone, and says so when it cannot. Runs meet for real here (parallel
# runspaces, started together at a barrier, with the emulator's latency), and deterministically
# through the emulator's "other writer" fault.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Session = Enter-DropzoneTestSession -Tenant default -Graph -Variable Emulator, AppId, ManageAsApp, Work
    $script:GraphAppId = '00000003-0000-0000-c000-000000000000'
    $script:DirectoryReadAll = '7ab1d382-f21e-4acd-a863-ba3e13f7da61'

    function Get-App { (Get-EmulatorState -Emulator $Emulator).applications | Where-Object appId -EQ $AppId }
    function Get-Patches { @(Get-EmulatorRequestLog -Emulator $Emulator | Where-Object { $_.method -eq 'PATCH' -and $_.path -like '/v1.0/applications/*' }) }
    function Get-PermissionIds($app) { @($app.requiredResourceAccess | ForEach-Object { $_.resourceAccess } | ForEach-Object id) }
    function New-Vendor([string] $Name = 'vendor') {
        $path = Join-Path $Work ("$Name-{0}.crt" -f [guid]::NewGuid())
        $certificate = New-TestCertificate -Path $path -Subject "CN=$Name"
        [pscustomobject]@{ Path = $path; Certificate = $certificate; Thumbprint = $certificate.Thumbprint.ToUpperInvariant() }
    }
    # The default tenant with certificates already on the app (they must all survive).
    function Use-TenantWithCertificates([int] $Count = 2, [switch] $ServicePrincipal) {
        $state = Get-Content (Get-TestTenantFile default) -Raw | ConvertFrom-Json -AsHashtable
        $state.applications[0].keyCredentials = @(1..$Count | ForEach-Object { New-TestKeyCredential -Certificate (New-TestCertificate -Subject "CN=Before $_") -DisplayName "Before $_" })
        if ($ServicePrincipal) {
            $state.servicePrincipals += [ordered]@{ id = '4d6f8a0c-2e4a-4c6e-8a0c-3e5a7c9e1b3d'; appId = "$AppId"; displayName = 'Dropzone AI'; servicePrincipalType = 'Application'; appRoles = @(); tags = @() }
        }
        Reset-TestTenant -Emulator $Emulator -State $state
        $state.applications[0].keyCredentials
    }
    function Assert-Kept($before) {
        $app = Get-App
        foreach ($credential in $before) {
            ($app.keyCredentials | Where-Object keyId -EQ $credential.keyId | ConvertTo-Json -Compress) | Should -BeExactly ([pscustomobject]$credential | ConvertTo-Json -Compress)
        }
    }
}

AfterAll { Exit-DropzoneTestSession }

Describe 'Runs that meet for real (parallel runspaces started together, with the emulator''s latency)' {
    It 'four Install-DropzoneCertificate runs with different certificates: all four and every certificate already there end on the app' {
        $before = Use-TenantWithCertificates -Count 2
        $vendors = @(1..4 | ForEach-Object { New-Vendor "vendor $_" })
        Set-EmulatorLatency -Emulator $Emulator -Milliseconds 150

        $install = { param($a) Install-DropzoneCertificate -ApplicationId $a.AppId -Path $a.Paths[$a.Index] -ErrorAction Stop }
        $runs = Invoke-ConcurrentRun -Emulator $Emulator -ScriptBlock (1..4 | ForEach-Object { $install }) -Arguments @{ AppId = $AppId; Paths = $vendors.Path }

        $app = Get-App
        foreach ($run in $runs) {
            $run.Errors | Should -BeNullOrEmpty -Because "run $($run.Index) must succeed"
            $result = $run.Output | Where-Object { $_.PSObject.Properties['KeyId'] }
            $result.Status | Should -Be 'Added'
            $result.Thumbprint | Should -Be $vendors[$run.Index].Thumbprint
            @($app.keyCredentials | Where-Object keyId -EQ $result.KeyId).Count | Should -Be 1 -Because 'the keyId reported is the one on the app'
        }
        @($app.keyCredentials).Count | Should -Be 6
        foreach ($vendor in $vendors) { @($app.keyCredentials | Where-Object customKeyIdentifier -EQ $vendor.Thumbprint).Count | Should -Be 1 }
        Assert-Kept $before
        # They met: at least one write was undone and made again.
        (Get-Patches).Count | Should -BeGreaterThan 4
    }

    It 'Grant-DropzoneExoPermission and an admin saving another permission in the portal meanwhile (<Tenant>): both permissions end on the app' -ForEach @(
        @{ Tenant = 'fresh'; ServicePrincipal = $false }, @{ Tenant = 'with service principal'; ServicePrincipal = $true }
    ) {
        $null = Use-TenantWithCertificates -Count 1 -ServicePrincipal:$ServicePrincipal
        # The module checks its write after waiting as long as the write took (here about 400 ms):
        # the admin's save lands in that window unless the admin is slowed down by more than that.
        Set-EmulatorLatency -Emulator $Emulator -Milliseconds 400
        $grant = { param($a) Grant-DropzoneExoPermission -ApplicationId $a.AppId -ErrorAction Stop }
        # The admin in the portal: reads the app when the module does, picks a permission, and saves
        # the whole list as soon as the module's write has landed, from the read made before it: the
        # module's permission is undone. (A save landing BEFORE the module's write, from a read made
        # before that, would be erased by it unseen: no client can tell that without ETags.)
        $admin = {
            param($a)
            $headers = @{ Authorization = 'Bearer ' + [Net.NetworkCredential]::new('', $a.Token).Password }
            $app = Invoke-RestMethod -Uri "$($a.BaseUri)/v1.0/applications(appId='$($a.AppId)')?`$select=id,requiredResourceAccess" -Headers $headers
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            do {
                Start-Sleep -Milliseconds 5
                $now = (Invoke-RestMethod -Uri "$($a.BaseUri)/_emulator/state").applications | Where-Object appId -EQ $a.AppId
            } until ($now.requiredResourceAccess.resourceAccess.id -contains $a.ManageAsApp -or [DateTime]::UtcNow -gt $deadline)
            $access = @($app.requiredResourceAccess) + @([ordered]@{ resourceAppId = $a.GraphAppId; resourceAccess = @(@{ id = $a.DirectoryReadAll; type = 'Role' }) })
            Invoke-RestMethod -Method Patch -Uri "$($a.BaseUri)/v1.0/applications/$($app.id)" -Headers $headers -ContentType 'application/json' -Body (@{ requiredResourceAccess = $access } | ConvertTo-Json -Depth 10)
        }
        $runs = Invoke-ConcurrentRun -Emulator $Emulator -ScriptBlock $grant, $admin -Arguments @{
            AppId = $AppId; BaseUri = $Emulator.BaseUri; GraphAppId = $GraphAppId; DirectoryReadAll = $DirectoryReadAll; ManageAsApp = $ManageAsApp
        }

        $runs[0].Errors | Should -BeNullOrEmpty
        $runs[1].Errors | Should -BeNullOrEmpty
        $runs[0].Output.Status | Should -Be 'Granted'
        $ids = Get-PermissionIds (Get-App)
        $ids | Should -Contain $ManageAsApp
        $ids | Should -Contain $DirectoryReadAll
        # The admin's save undid the module's write, and the module wrote again.
        (Get-Patches).Count | Should -Be 3
    }

    It 'two Install-DropzoneCertificate runs under the interleave switch (reads answer late, writes land late): both end on the app' {
        $before = Use-TenantWithCertificates -Count 1
        $vendors = @(1..2 | ForEach-Object { New-Vendor "interleaved $_" })
        Set-EmulatorLatency -Emulator $Emulator -Milliseconds 50
        Set-EmulatorInterleave -Emulator $Emulator -Milliseconds 100

        $install = { param($a) Install-DropzoneCertificate -ApplicationId $a.AppId -Path $a.Paths[$a.Index] -ErrorAction Stop }
        $runs = Invoke-ConcurrentRun -Emulator $Emulator -ScriptBlock $install, $install -Arguments @{ AppId = $AppId; Paths = $vendors.Path }

        $runs.Errors | Should -BeNullOrEmpty
        $app = Get-App
        foreach ($vendor in $vendors) { @($app.keyCredentials | Where-Object customKeyIdentifier -EQ $vendor.Thumbprint).Count | Should -Be 1 }
        @($app.keyCredentials).Count | Should -Be 3
        Assert-Kept $before
    }
}

Describe 'Another writer undoes the write (the emulator''s otherWriter fault)' {
    It 'Install-DropzoneCertificate writes again once, keeping the other writer''s certificate, and reports the keyId on the app' {
        $before = Use-TenantWithCertificates -Count 2
        $vendor = New-Vendor
        $theirs = New-TestKeyCredential -Certificate (New-TestCertificate -Subject 'CN=Other writer') -DisplayName 'Other writer'
        $null = Add-EmulatorOtherWriter -Emulator $Emulator -KeyCredential $theirs

        $result = Install-DropzoneCertificate -ApplicationId $AppId -Path $vendor.Path -Verbose 4>&1 | Tee-Object -Variable everything | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] }

        $result.Status | Should -Be 'Added'
        $patches = Get-Patches
        $patches.Count | Should -Be 2
        $patches[0].fault | Should -Be 'otherWriter'
        $app = Get-App
        @($app.keyCredentials).Count | Should -Be 4
        ($app.keyCredentials | Where-Object customKeyIdentifier -EQ $vendor.Thumbprint).keyId | Should -Be $result.KeyId
        $app.keyCredentials.keyId | Should -Contain $theirs.keyId
        Assert-Kept $before
        ($everything | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'Another writer undid'
    }

    It 'Install-DropzoneCertificate ends with ConcurrentUpdate, naming the certificate, when every write is undone; no Added' {
        $before = Use-TenantWithCertificates -Count 1
        $vendor = New-Vendor
        $theirs = New-TestKeyCredential -Certificate (New-TestCertificate -Subject 'CN=Other writer') -DisplayName 'Other writer'
        $null = Add-EmulatorOtherWriter -Emulator $Emulator -KeyCredential $theirs -Count 100

        $output = $null; $err = $null
        try { $output = Install-DropzoneCertificate -ApplicationId $AppId -Path $vendor.Path -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'ConcurrentUpdate,*'
        $output | Should -BeNullOrEmpty -Because 'a certificate that is not on the app is never reported Added'
        $err.CategoryInfo.Category | Should -Be 'ResourceBusy'
        $err.Exception.Message | Should -Match $vendor.Thumbprint
        $err.Exception.Message | Should -Match 'Someone else is changing'
        $err.ErrorDetails.RecommendedAction | Should -Match 'run the command again'
        # The first write and four more, each read back: bounded.
        (Get-Patches).Count | Should -Be 5
        $app = Get-App
        $app.keyCredentials.customKeyIdentifier | Should -Not -Contain $vendor.Thumbprint
        $app.keyCredentials.keyId | Should -Contain $theirs.keyId
        Assert-Kept $before
    }

    It 'warns, naming it, about a certificate it kept that the other writer removed, and does not put it back' {
        $before = Use-TenantWithCertificates -Count 2
        $vendor = New-Vendor
        $null = Add-EmulatorOtherWriter -Emulator $Emulator -RemoveKeyId $before[0].keyId

        $result = Install-DropzoneCertificate -ApplicationId $AppId -Path $vendor.Path -WarningVariable warnings -WarningAction SilentlyContinue

        $result.Status | Should -Be 'Added'
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -Match $before[0].customKeyIdentifier
        "$($warnings[0])" | Should -Match 'Before 1'
        $app = Get-App
        $app.keyCredentials.keyId | Should -Not -Contain $before[0].keyId
        $app.keyCredentials.keyId | Should -Contain $before[1].keyId
        $app.keyCredentials.customKeyIdentifier | Should -Contain $vendor.Thumbprint
    }

    It 'Grant-DropzoneExoPermission writes the permission again once, keeping the other writer''s permission' {
        $null = Use-TenantWithCertificates -Count 1 -ServicePrincipal
        $null = Add-EmulatorOtherWriter -Emulator $Emulator -RequiredResourceAccess @(@{ resourceAppId = $GraphAppId; resourceAccess = @(@{ id = $DirectoryReadAll; type = 'Role' }) })

        $result = Grant-DropzoneExoPermission -ApplicationId $AppId

        $result.Status | Should -Be 'Granted'
        (Get-Patches).Count | Should -Be 2
        $ids = Get-PermissionIds (Get-App)
        $ids | Should -Contain $ManageAsApp
        $ids | Should -Contain $DirectoryReadAll
    }

    It 'Grant-DropzoneExoPermission ends with ConcurrentUpdate naming Exchange.ManageAsApp when every write is undone' {
        $null = Use-TenantWithCertificates -Count 1 -ServicePrincipal
        $null = Add-EmulatorOtherWriter -Emulator $Emulator -Count 100

        $err = { Grant-DropzoneExoPermission -ApplicationId $AppId -ErrorAction Stop } | Should -Throw -ErrorId 'ConcurrentUpdate,*' -PassThru
        $err.Exception.Message | Should -Match 'Exchange.ManageAsApp'
        (Get-Patches).Count | Should -Be 5
    }

    It 'Remove-DropzoneCertificate removes again a certificate the other writer put back' {
        $before = Use-TenantWithCertificates -Count 2
        $null = Add-EmulatorOtherWriter -Emulator $Emulator

        Remove-DropzoneCertificate -ApplicationId $AppId -KeyId $before[0].keyId -Confirm:$false

        (Get-Patches).Count | Should -Be 2
        (Get-App).keyCredentials.keyId | Should -Be @($before[1].keyId)
    }

    It 'Install-DropzoneExoIntegration on a fresh tenant: the check rides with the consent, and an undone write is made again' {
        Reset-TestTenant -Emulator $Emulator -Tenant default
        $vendor = New-Vendor
        $null = Add-EmulatorOtherWriter -Emulator $Emulator

        $summary = Install-DropzoneExoIntegration -ApplicationId $AppId -CertificatePath $vendor.Path -SkipExchange

        ($summary.Steps | Where-Object Name -EQ 'Certificate').Status | Should -Be 'Done'
        ($summary.Steps | Where-Object Name -EQ 'ExchangePermission').Status | Should -Be 'Done'
        $app = Get-App
        $app.keyCredentials.customKeyIdentifier | Should -Be @($vendor.Thumbprint)
        Get-PermissionIds $app | Should -Contain $ManageAsApp
        $log = @(Get-EmulatorRequestLog -Emulator $Emulator | Where-Object path -Like '/v1.0/*')
        # The third round trip is the consent with the read that found the write undone.
        $third = @($log | Where-Object { -not $_.inBatch })[2]
        @($log | Where-Object { $_.inBatch -and $_.batchSequence -eq $third.sequence }).method | Sort-Object | Should -Be @('GET', 'POST')
        (Get-Patches).Count | Should -Be 2
    }
}
