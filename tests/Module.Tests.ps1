# The built module as an admin gets it: it imports, its manifest is sound, it exports exactly what
# the manifest lists, and its cmdlet assembly never names an assembly that must stay isolated.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ModulePath = Get-TestModulePath
    $script:ManifestPath = Join-Path $ModulePath 'Dropzone.ExoSetup.psd1'
    $script:Manifest = Import-PowerShellDataFile $ManifestPath
    $script:Module = Import-Module $ModulePath -Force -PassThru
}

Describe 'The module manifest' {
    It 'passes Test-ModuleManifest' {
        { Test-ModuleManifest -Path $ManifestPath -ErrorAction Stop } | Should -Not -Throw
    }

    It 'targets PowerShell 7.4 Core only' {
        $Manifest.CompatiblePSEditions | Should -Be @('Core')
        $Manifest.PowerShellVersion | Should -Be '7.4'
    }

    It 'lists its cmdlets explicitly, with no wildcard' {
        $Manifest.CmdletsToExport | Should -Not -BeNullOrEmpty
        $Manifest.CmdletsToExport | Where-Object { $_ -match '[*?]' } | Should -BeNullOrEmpty
        foreach ($key in 'FunctionsToExport', 'VariablesToExport', 'AliasesToExport') { @($Manifest[$key]).Count | Should -Be 0 -Because "$key must be empty" }
    }

    It 'loads nothing before the module initializer (no NestedModules, RequiredAssemblies or ScriptsToProcess)' {
        foreach ($key in 'NestedModules', 'RequiredAssemblies', 'ScriptsToProcess', 'TypesToProcess') { $Manifest.ContainsKey($key) | Should -BeFalse -Because "$key would load code before the dependency loader" }
    }

    It 'carries gallery metadata: tags, licence and release notes' {
        $Manifest.PrivateData.PSData.Tags | Should -Contain 'ExchangeOnline'
        $Manifest.PrivateData.PSData.Tags | Should -Contain 'PSEdition_Core'
        $Manifest.PrivateData.PSData.LicenseUri | Should -Match '^https://'
        $Manifest.PrivateData.PSData.ReleaseNotes | Should -Not -BeNullOrEmpty
    }
}

Describe 'What the module exports' {
    It 'exports exactly the cmdlets the manifest lists' {
        @($Module.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($Manifest.CmdletsToExport | Sort-Object)
    }

    It 'exports every cmdlet its assembly defines (none forgotten in the manifest)' {
        $defined = $Module.ImplementingAssembly.GetExportedTypes() |
            ForEach-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
            ForEach-Object { "$($_.VerbName)-$($_.NounName)" }
        @($defined | Sort-Object) | Should -Be @($Manifest.CmdletsToExport | Sort-Object)
    }

    It 'uses only approved verbs' {
        $approved = (Get-Verb).Verb
        $Module.ExportedCmdlets.Values | Where-Object Verb -NotIn $approved | Should -BeNullOrEmpty
    }

    It 'keeps one cmdlet per source file, named after the cmdlet' {
        $files = Get-ChildItem (Join-Path (Get-TestRepoRoot) 'src/Dropzone.ExoSetup/Cmdlets') -Filter *.cs | ForEach-Object BaseName
        @($files | Sort-Object) | Should -Be @($Manifest.CmdletsToExport | ForEach-Object { $_ -replace '-', '' } | Sort-Object)
    }

    It 'imports in a fresh pwsh and shows its cmdlets' {
        $result = Invoke-FreshPwsh -Script @'
$module = Import-Module (Join-Path $args[0] 'out/Dropzone.ExoSetup') -PassThru -ErrorAction Stop
@{ Name = $module.Name; Commands = @((Get-Command -Module Dropzone.ExoSetup).Name) } | ConvertTo-Json -Compress
'@
        $result.Name | Should -Be 'Dropzone.ExoSetup'
        @($result.Commands | Sort-Object) | Should -Be @($Manifest.CmdletsToExport | Sort-Object)
    }
}

Describe 'The layout of the built module' {
    It 'ships the cmdlet assembly alone at its root and every isolated assembly under dependencies/' {
        $rootDlls = Get-ChildItem $ModulePath -Filter *.dll | ForEach-Object Name
        $rootDlls | Should -Be @('Dropzone.ExoSetup.dll')
        foreach ($dll in 'Dropzone.ExoSetup.Engine.dll', 'Microsoft.Graph.dll', 'Azure.Identity.dll', 'Microsoft.Identity.Client.dll', 'Azure.Core.dll') {
            Join-Path $ModulePath "dependencies/$dll" | Should -Exist
        }
    }

    It 'does not ship PowerShell itself or the runtime polyfills' {
        Get-ChildItem $ModulePath -Recurse -Filter 'System.Management.Automation.dll' | Should -BeNullOrEmpty
        Get-ChildItem $ModulePath -Recurse -Filter 'System.Text.Json.dll' | Should -BeNullOrEmpty
    }

    It 'ships the format file it declares' {
        Join-Path $ModulePath $Manifest.FormatsToProcess[0] | Should -Exist
    }

    It 'has a default view for every type its cmdlets output' {
        [xml] $format = Get-Content (Join-Path $ModulePath $Manifest.FormatsToProcess[0]) -Raw
        $viewed = @($format.Configuration.ViewDefinitions.View.ViewSelectedBy.TypeName)
        $outputs = $Module.ExportedCmdlets.Values.OutputType.Type | Where-Object { $_.Namespace -eq 'Dropzone.ExoSetup' } | Sort-Object FullName -Unique
        $outputs | Should -Not -BeNullOrEmpty
        foreach ($type in $outputs) { $viewed | Should -Contain $type.FullName }
    }
}

Describe 'The cmdlet assembly''s references' {
    It 'references none of the isolated assemblies (Graph, Azure, MSAL, Kiota, IdentityModel)' {
        $references = $Module.ImplementingAssembly.GetReferencedAssemblies().Name
        $references | Should -Contain 'Dropzone.ExoSetup.Engine'
        $references | Where-Object { $_ -match '^(Microsoft\.Graph|Azure\.|Microsoft\.Identity|Microsoft\.Kiota|Microsoft\.IdentityModel|System\.IdentityModel)' } |
            Should -BeNullOrEmpty
    }

    It 'exposes no isolated type on any public cmdlet parameter or output type' {
        $isolated = '^(Microsoft\.Graph|Azure\.|Microsoft\.Identity|Microsoft\.Kiota|Dropzone\.ExoSetup\.Engine)'
        foreach ($cmdlet in $Module.ExportedCmdlets.Values) {
            foreach ($parameter in $cmdlet.Parameters.Values) { $parameter.ParameterType.FullName | Should -Not -Match $isolated -Because "$($cmdlet.Name) -$($parameter.Name)" }
            foreach ($output in $cmdlet.OutputType) { $output.Name | Should -Not -Match $isolated -Because "$($cmdlet.Name) output" }
        }
    }
}
