#!powershell

# Copyright: (c) 2026, Isotools shop_sync developers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

#Requires -Version 5.1
#AnsibleRequires -CSharpUtil Ansible.Basic
#AnsibleRequires -CSharpUtil Ansible.Privilege

# The Windows side of docs/host-contract.md: read, apply, run and history. Every decision is
# taken on the controller; this script reads what is there and writes what it is told, each
# write checked against the hash the controller planned from. Windows PowerShell 5.1.

$spec = @{
    options = @{
        # no_log: Ansible.Basic writes every option to the Application event log ("Invoked
        # with", Ansible.Basic.cs) unless it is no_log, and the request carries whole scripts
        # and task XML. It holds no secret; the controller shows it where it needs to.
        request = @{ type = 'str'; required = $true; no_log = $true }
        # A list of {id, password} rather than a dict: Ansible.Basic hides the values of no_log
        # options only when they are strings, so each password must be an option of its own.
        # No default: the controller always sends the list (hosts/winrm.py), empty but for apply.
        passwords = @{
            type = 'list'
            elements = 'dict'
            no_log = $true
            options = @{
                id = @{ type = 'str'; required = $true }
                password = @{ type = 'str'; required = $true; no_log = $true }
            }
        }
    }
    supports_check_mode = $true
}
$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)
$ErrorActionPreference = 'Stop'

# ITaskFolder::RegisterTask flags (taskschd.h): create fails over an existing task, update on a
# missing one, so what someone registered after our hash check is never replaced.
$TASK_CREATE = 2
$TASK_UPDATE = 4
$TASK_ENUM_HIDDEN = 1
# 0x80070002 file, 0x80070003 path not found, signed as COMException.HResult holds them (Get-ErrorCode).
$NOT_FOUND_CODES = @(-2147024894, -2147024893)
$MAX_CONTENT_BYTES = 1048576
$AccountCache = @{}

Function Format-HostTime {
    # ISO 8601 host-local time with the UTC offset of that moment (DateTimeOffset takes a local
    # or unspecified DateTime's offset from the local zone at that date), never the locale's
    # format: history across a DST change stays in order. The controller reads the "never run"
    # dates as none; COM's zero date and earlier are left out here, DateTimeOffset may not hold them.
    param ($Value)
    if ($Value -isnot [DateTime] -or $Value.Year -lt 1900) { return $null }
    ([DateTimeOffset]$Value).ToString('yyyy-MM-ddTHH:mm:sszzz', [System.Globalization.CultureInfo]::InvariantCulture)
}

Function Get-Sha256Hex {
    param ($InputObject)  # byte[] or an open Stream
    # The FIPS-validated CryptoAPI provider, as ansible.windows win_stat.ps1 uses: SHA256::Create() gives
    # SHA256Managed on .NET Framework < 4.8, which throws on a host with the FIPS policy on.
    $sha = [System.Security.Cryptography.SHA256CryptoServiceProvider]::new()
    try { $digest = $sha.ComputeHash($InputObject) } finally { $sha.Dispose() }
    ([System.BitConverter]::ToString($digest) -replace '-', '').ToLowerInvariant()
}

Function Get-TextHash {
    param ([string]$Text)
    Get-Sha256Hex -InputObject ([System.Text.Encoding]::UTF8.GetBytes($Text))
}

Function Get-ErrorCode {
    # The HRESULT (or Win32 code) behind an exception, signed as .NET holds it (Exception.HResult,
    # Win32Exception.NativeErrorCode): the controller reads it unsigned, and knows .NET's own
    # generic codes for "no Windows code" (contract/).
    param ([System.Exception]$Exception)
    $base = $Exception.GetBaseException()
    if ($base -is [System.ComponentModel.Win32Exception]) { return $base.NativeErrorCode }
    $base.HResult
}

Function Get-ErrorText {
    param ([System.Management.Automation.ErrorRecord]$ErrorRecord)
    $ErrorRecord.Exception.GetBaseException().Message
}

Function Get-TaskFolder {
    param ([string]$Path)
    try { $script:scheduler.GetFolder($Path) }
    catch { if ((Get-ErrorCode $_.Exception) -notin $NOT_FOUND_CODES) { throw } }
}

Function Get-RegisteredTask {
    # ITaskFolder::GetTask takes a path below the folder: from the root, the task's whole path.
    param ([string]$Path)
    try { $script:scheduler.GetFolder('\').GetTask($Path) }
    catch { if ((Get-ErrorCode $_.Exception) -notin $NOT_FOUND_CODES) { throw } }
}

Function Get-TaskRecord {
    # The hash is of the very text returned: reading Xml twice could pair one version's text
    # with another's hash. A task that cannot be read is reported with the reason rather than
    # failing the whole read; the controller then leaves it alone (no update, no prune).
    # IRegisteredTask.State is a TASK_STATE and LastTaskResult a signed HRESULT/exit code
    # (Microsoft docs: IRegisteredTask, TASK_STATE); both are handed over as numbers, as
    # community.windows win_scheduled_task_stat.ps1 reads $task.State and $task.LastTaskResult.
    param ($Task)
    $path = [string]$Task.Path
    try {
        $xml = [string]$Task.Xml
        @{
            path = $path
            xml = $xml
            task_hash = Get-TextHash $xml
            enabled = [bool]$Task.Enabled
            state = [int]$Task.State  # TASK_STATE (IRegisteredTask.State): the controller names it
            last_run_time = Format-HostTime $Task.LastRunTime
            last_result = $Task.LastTaskResult  # signed, as COM gives it: the controller reads it unsigned
            next_run_time = Format-HostTime $Task.NextRunTime
            number_of_missed_runs = [int]$Task.NumberOfMissedRuns
            principal_sid = Get-PrincipalSid $xml
        }
    }
    catch {
        @{ path = $path; xml = $null; task_hash = $null; enabled = $null; state = 0; error = Get-ErrorText $_ }
    }
}

Function Get-PrincipalSid {
    # The controller compares accounts by SID: the UserId (else GroupId) of the XML already read
    # and hashed, as the host resolves it, or $null when it cannot. Definition.Principal.UserId
    # gives a bare name, or nothing for the task's registering user.
    param ([string]$Xml)
    $principal = @(([xml]$Xml).GetElementsByTagName('Principal'))[0]
    if ($null -eq $principal) { return $null }
    $account = [string]$principal.UserId
    if (-not $account) { $account = [string]$principal.GroupId }
    if (-not $account) { return $null }
    (Resolve-Account $account).sid
}

Function Add-FolderTask {
    param ($Folder, [bool]$Recurse, [System.Collections.Specialized.OrderedDictionary]$Into)
    foreach ($task in $Folder.GetTasks($TASK_ENUM_HIDDEN)) {
        $Into[$task.Path.ToLowerInvariant()] = Get-TaskRecord $task
    }
    if (-not $Recurse) { return }
    foreach ($child in $Folder.GetFolders(0)) {
        Add-FolderTask -Folder $child -Recurse $true -Into $Into
    }
}

Function Get-ReparsePoint {
    # The outermost reparse point (symbolic link, junction, mount point) among $Path and the
    # folders above it up to the drive root, or $null: nothing is read, written or re-permissioned
    # through one, since it would reach wherever it points. Each component is tested for
    # FileAttributes.ReparsePoint, as Ansible.ModuleUtils.LinkUtil's Get-Link and ansible.windows
    # win_stat.ps1 tell a link; GetAttributes looks at the link itself, it does not follow it
    # (Microsoft docs: File.GetAttributes, FileAttributes.ReparsePoint).
    param ([string]$Path)
    $found = $null
    for ($current = [System.IO.Path]::GetFullPath($Path); $current; $current = [System.IO.Path]::GetDirectoryName($current)) {
        try { if ([System.IO.File]::GetAttributes($current) -band [System.IO.FileAttributes]::ReparsePoint) { $found = $current } }
        catch [System.IO.FileNotFoundException], [System.IO.DirectoryNotFoundException] { $null = $_ }
    }
    $found
}

Function Get-LinkRefusal {
    # The refusal of a change whose path goes through a reparse point, checked at the moment of
    # the write whatever the read saw; $null when there is none.
    param ($Change, [string]$Path)
    $link = Get-ReparsePoint $Path
    if ($link) { New-Outcome 'refused' "$($Change.kind) $($Change.path): the path goes through the link or junction '$link', which is never followed" }
}

Function Get-TaskFolderPath {
    # Where Task Scheduler keeps the files of a task folder: %SystemRoot%\System32\Tasks\<folder>.
    param ([string]$Folder)
    [System.IO.Path]::Combine([System.Environment]::GetFolderPath('System'), 'Tasks', $Folder.TrimStart('\'))
}

Function Set-SecurityField {
    # The owner and the DACL as they are: who may write is judged on the controller
    # (plugin_utils/contract/file_access.py). Get-Acl -LiteralPath, as ansible.windows win_acl.ps1 reads
    # an ACL, works on Windows PowerShell 5.1 and PowerShell 7 alike, where the .NET Framework's
    # [IO.File]::GetAccessControl is gone; it returns the Access and Owner sections (Microsoft
    # docs: Get-Acl, FileSystemSecurity.GetAccessRules, ObjectSecurity.GetOwner).
    param ([hashtable]$Record)
    $security = Get-Acl -LiteralPath $Record.path
    $sid = [System.Security.Principal.SecurityIdentifier]
    $Record.owner = $security.GetOwner($sid).Value
    $Record.protected = [bool]$security.AreAccessRulesProtected
    # Each entry's enums as numbers (Microsoft docs: AccessControlType, PropagationFlags,
    # FileSystemRights): allow or deny and inherit-only are judged on the controller
    # (file_access.AccessEntry). FileSystemRights is an Int32 flags enum, so a generic right is
    # negative: sent as it is, the controller reads the mask unsigned.
    $Record.aces = [object[]]@(foreach ($rule in $security.GetAccessRules($true, $true, $sid)) {
            @{ sid = $rule.IdentityReference.Value; access_control_type = [int]$rule.AccessControlType; rights = [int]$rule.FileSystemRights
                propagation_flags = [int]$rule.PropagationFlags; inherited = [bool]$rule.IsInherited }
        })
}

Function Get-FileRecord {
    # $Content false (the request's file_content): owner, DACL and hash only, for what a task the
    # collection does not manage names, which may be any file of the host.
    # What is not read is left out: the contract's defaults (contract.FileRecord) say none.
    param ([string]$Path, [bool]$Content = $true)
    $record = @{ path = $Path; exists = [System.IO.File]::Exists($Path); reparse_point = Get-ReparsePoint $Path }
    if (-not $record.exists -or $null -ne $record.reparse_point) { return $record }
    $record.size = [System.IO.FileInfo]::new($Path).Length
    if ($Content -and $record.size -le $MAX_CONTENT_BYTES) {
        $bytes = [System.IO.File]::ReadAllBytes($Path)
        $record.file_hash = Get-Sha256Hex -InputObject $bytes
        $record.content_base64 = [System.Convert]::ToBase64String($bytes)
    }
    else {
        $stream = [System.IO.File]::OpenRead($Path)
        try { $record.file_hash = Get-Sha256Hex -InputObject $stream } finally { $stream.Dispose() }
    }
    Set-SecurityField $record
    $record
}

Function Get-DirectoryRecord {
    param ([string]$Path)
    $record = @{ path = $Path; exists = [System.IO.Directory]::Exists($Path); reparse_point = Get-ReparsePoint $Path }
    if ($record.exists -and $null -eq $record.reparse_point) { Set-SecurityField $record }
    $record
}

Function Resolve-Account {
    # SIDs are taken as they are; names go through LookupAccountName (DOMAIN\x, x, x@domain).
    # Each name is looked up once per call: a folder of tasks run by one account asks once.
    param ([string]$Name)
    $key = $Name.ToLowerInvariant()
    if (-not $script:AccountCache.ContainsKey($key)) { $script:AccountCache[$key] = Find-Account $Name }
    $script:AccountCache[$key]
}

Function Find-Account {
    # Looked up as Ansible's SID utils do (ansible.windows _SecurityIdentifier.psm1,
    # Ansible.ModuleUtils.SID.psm1): ".\x" is this computer's x, and this computer's group x is
    # asked for without the computer's name, which NTAccount cannot find. `account` is the name
    # Windows gives the SID back, as it gives it.
    param ([string]$Name)
    try {
        if ($Name -match '^S-1-\d+(-\d+)+$') { $sid = [System.Security.Principal.SecurityIdentifier]::new($Name) }
        else {
            $domain, $user = $null, $Name
            if ($Name.Contains('\')) { $domain, $user = $Name -split '\\', 2 }
            if ($domain -eq '.') { $domain = $env:COMPUTERNAME }
            if ($domain -eq $env:COMPUTERNAME -and (Test-LocalGroup $user)) { $domain = $null }
            $account = [System.Security.Principal.NTAccount]::new($user)
            if ($domain) { $account = [System.Security.Principal.NTAccount]::new($domain, $user) }
            $sid = $account.Translate([System.Security.Principal.SecurityIdentifier])
        }
        try { $known = $sid.Translate([System.Security.Principal.NTAccount]).Value } catch { $known = $null }  # a SID without a name
        # local_group: this computer has a local group of the name's last part. The controller,
        # which has the computer's name (host.hostname, [Environment]::MachineName: the NetBIOS
        # name Translate prefixes), registers its own local group bare (contract.AccountRecord).
        @{ name = $Name; sid = $sid.Value; error = $null; account = $known; local_group = $known -and (Test-LocalGroup ($known.Split('\')[-1])) }
    }
    catch {
        # not_found: a name no account has (IdentityNotMappedException, Microsoft docs:
        # IdentityReference.Translate); the controller words it (contract.ACCOUNT_NOT_FOUND).
        $notFound = $_.Exception.GetBaseException() -is [System.Security.Principal.IdentityNotMappedException]
        @{ name = $Name; sid = $null; error = Get-ErrorText $_; account = $null; not_found = $notFound }
    }
}

Function Test-LocalGroup {
    # Whether this computer has a local group of that name (WinNT provider, as Ansible's SID
    # utils ask it). Asked of every account a read resolves (local_group), so a name the
    # provider cannot look up (DirectoryEntry.Exists documents no failure, ADSI may still throw
    # a COMException) is no local group: the account keeps the name Windows gave it.
    param ([string]$Name)
    try { [System.DirectoryServices.DirectoryEntry]::Exists("WinNT://$env:COMPUTERNAME/$Name,group") } catch { $false }
}

Function Get-HostFact {
    # [Environment]::OSVersion says 6.2 to processes without a Windows 8.1+ manifest (the psrp
    # host process among them), so the version comes from the registry, its values as they are
    # (CurrentMajorVersionNumber is absent before Windows 10): the controller composes the
    # version (contract.HostFacts).
    $current = Get-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion'
    $zone = [System.TimeZoneInfo]::Local
    @{
        hostname = [System.Environment]::MachineName
        windows_version = @{ major = $current.CurrentMajorVersionNumber; minor = $current.CurrentMinorVersionNumber; build = $current.CurrentBuildNumber; current_version = $current.CurrentVersion }
        time_zone = $zone.Id
        utc_offset_minutes = [int]$zone.GetUtcOffset([DateTime]::Now).TotalMinutes
    }
}

Function Invoke-ReadOp {
    param ($Request)
    $response = @{ op = 'read'; host = Get-HostFact; folders = @(); tasks = @(); files = @(); directories = @(); accounts = @(); environment = @() }
    $tasks = [ordered]@{}
    foreach ($query in $Request.folders) {
        $folder = Get-TaskFolder ([string]$query.path)
        $response.folders += @{ path = [string]$query.path; exists = $null -ne $folder; reparse_point = Get-ReparsePoint (Get-TaskFolderPath ([string]$query.path)) }
        if ($null -ne $folder) { Add-FolderTask -Folder $folder -Recurse ([bool]$query.recurse) -Into $tasks }
    }
    foreach ($path in $Request.tasks) {
        $task = Get-RegisteredTask ([string]$path)
        if ($null -ne $task) { $tasks[$task.Path.ToLowerInvariant()] = Get-TaskRecord $task }
    }
    $response.tasks = @($tasks.Values)
    # A try per record: one file a running sync holds open never fails the whole read. An
    # unreadable record carries only whether it exists and why (the rest: the contract's defaults).
    foreach ($path in $Request.files) {
        try { $response.files += Get-FileRecord ([string]$path) ($Request.file_content -ne $false) }
        catch { $response.files += @{ path = [string]$path; exists = [System.IO.File]::Exists([string]$path); error = Get-ErrorText $_ } }
    }
    foreach ($path in $Request.directories) {
        try { $response.directories += Get-DirectoryRecord ([string]$path) }
        catch { $response.directories += @{ path = [string]$path; exists = [System.IO.Directory]::Exists([string]$path); error = Get-ErrorText $_ } }
    }
    foreach ($name in $Request.accounts) { $response.accounts += Resolve-Account ([string]$name) }
    # The runs' history in the same round trip (drift's freshness check): the history op's own
    # Get-WinEvent read, answered under "history".
    if ($null -ne $Request.history) { $response.history = Invoke-HistoryOp $Request.history }
    # The machine's variables a task's action names, as Task Scheduler starts it with them: the
    # Machine target reads HKLM\System\CurrentControlSet\Control\Session Manager\Environment,
    # $null when the variable is not set there (Microsoft docs: Environment.GetEnvironmentVariable
    # (String, EnvironmentVariableTarget), EnvironmentVariableTarget.Machine). A per-user one is not read.
    foreach ($name in $Request.environment) { $response.environment += @{ name = [string]$name; value = [System.Environment]::GetEnvironmentVariable([string]$name, [System.EnvironmentVariableTarget]::Machine) } }
    $response
}

Function New-Outcome {
    # -Concurrent: refused because what is there is no longer what the controller planned from
    # (the hash check); the controller words it (contract.CHANGED_CONCURRENTLY).
    param ([string]$Status, $Message = $null, $ErrorCode = $null, [switch]$Concurrent)
    @{ status = $Status; message = $Message; error_code = $ErrorCode; concurrent = [bool]$Concurrent }
}

Function Add-TaskFolderChange {
    param ($Change)
    $path = [string]$Change.path
    if ($refusal = Get-LinkRefusal $Change (Get-TaskFolderPath $path)) { return $refusal }
    if ($null -ne (Get-TaskFolder $path)) { return New-Outcome 'unchanged' }
    # One call for the whole path: ITaskFolder::CreateFolder creates every missing level of
    # "A\B\C" (Microsoft's docs), as community.windows win_scheduled_task.ps1 relies on.
    $null = $script:scheduler.GetFolder('\').CreateFolder($path, $null)
    New-Outcome 'applied'
}

Function Add-DirectoryChange {
    param ($Change)
    if ($refusal = Get-LinkRefusal $Change ([string]$Change.path)) { return $refusal }
    if ([System.IO.Directory]::Exists([string]$Change.path)) { return New-Outcome 'unchanged' }
    $null = [System.IO.Directory]::CreateDirectory([string]$Change.path)
    New-Outcome 'applied'
}

Function Write-FileChange {
    param ($Change)
    $path = [string]$Change.path
    if ($refusal = Get-LinkRefusal $Change $path) { return $refusal }
    $current = $null
    if ([System.IO.File]::Exists($path)) { $current = Get-Sha256Hex -InputObject ([System.IO.File]::ReadAllBytes($path)) }
    # null expected: the file must not exist yet; a hash: it must still be exactly that one.
    if ([string]$Change.expected_hash -ne [string]$current) { return New-Outcome 'refused' -Concurrent }
    $bytes = [System.Convert]::FromBase64String([string]$Change.content_base64)
    $name = '.{0}.{1}' -f [System.IO.Path]::GetFileName($path), [string][Guid]::NewGuid()
    $temp = [System.IO.Path]::Combine([System.IO.Path]::GetDirectoryName($path), "$name.tmp")
    $backup = [System.IO.Path]::Combine([System.IO.Path]::GetDirectoryName($path), "$name.bak")
    $outcome = New-Outcome 'applied'
    try {
        [System.IO.File]::WriteAllBytes($temp, $bytes)
        if ($null -eq $current) { [System.IO.File]::Move($temp, $path) }
        else {
            # ReplaceFile keeps the target's ACL, attributes and identity. Its errors 1176/1177
            # can leave the target renamed or gone (learn.microsoft.com, ReplaceFileW): with a
            # backup beside it the old script is still there to put back.
            try { [System.IO.File]::Replace($temp, $path, $backup) }
            catch {
                if (-not [System.IO.File]::Exists($path) -and [System.IO.File]::Exists($backup)) { [System.IO.File]::Move($backup, $path) }
                throw
            }
            # Written is written: a backup that cannot be deleted is said, not a failure.
            try { [System.IO.File]::Delete($backup) } catch { $outcome.message = "the previous content is left in $($backup): $(Get-ErrorText $_)" }
        }
    }
    finally {
        if ([System.IO.File]::Exists($temp)) { [System.IO.File]::Delete($temp) }
    }
    $outcome
}

Function Set-AclChange {
    param ($Change)
    $path = [string]$Change.path
    if ($refusal = Get-LinkRefusal $Change $path) { return $refusal }
    $isDirectory = [System.IO.Directory]::Exists($path)
    if (-not $isDirectory -and -not [System.IO.File]::Exists($path)) { return New-Outcome 'refused' "'$path' does not exist" }
    $inheritance = [System.Security.AccessControl.InheritanceFlags]::None
    $security = [System.Security.AccessControl.FileSecurity]::new()
    if ($isDirectory) {
        $inheritance = [System.Security.AccessControl.InheritanceFlags]'ContainerInherit, ObjectInherit'
        $security = [System.Security.AccessControl.DirectorySecurity]::new()
    }
    # Protected, nothing kept from the parent: the listed SIDs are the whole DACL. The owner
    # keeps WRITE_DAC whatever the DACL says, so BUILTIN\Administrators becomes the owner (as
    # takeown /A does): a user who owned the file could otherwise grant itself write again. A
    # fresh security object writes only the sections set here, the SACL stays as it is.
    $security.SetAccessRuleProtection($true, $false)
    $security.SetOwner([System.Security.Principal.SecurityIdentifier]::new('S-1-5-32-544'))
    foreach ($sid in $Change.full_control) {
        $security.AddAccessRule([System.Security.AccessControl.FileSystemAccessRule]::new([System.Security.Principal.SecurityIdentifier]::new([string]$sid), 'FullControl', $inheritance, 'None', 'Allow'))
    }
    # Giving a file to Administrators takes WRITE_OWNER on it, which a DACL its user owner wrote
    # may not grant: SeTakeOwnershipPrivilege and SeRestorePrivilege (an elevated administrator
    # holds both, disabled) are enabled for the call, as ansible.windows win_owner.ps1 does.
    # Set-Acl works on PowerShell 5.1 and 7 (Microsoft docs: Set-Acl).
    $privileges = [Ansible.Privilege.PrivilegeEnabler]::new($false, 'SeTakeOwnershipPrivilege', 'SeRestorePrivilege')
    try { Set-Acl -LiteralPath $path -AclObject $security }
    finally { $privileges.Dispose() }
    New-Outcome 'applied'
}

Function Get-CurrentTask {
    # The task at the change's path and whether it is still the one the controller planned from.
    param ($Change)
    $task = Get-RegisteredTask ([string]$Change.path)
    $hash = $null
    if ($null -ne $task) { $hash = Get-TextHash ([string]$task.Xml) }
    @{ Task = $task; Expected = [string]$Change.expected_hash -eq [string]$hash }
}

Function Register-TaskChange {
    # The folder and name the task path splits into, and the userId and logonType RegisterTask
    # takes, come with the change (contract/: split_task_path, _registration_arguments): as
    # community.windows win_scheduled_task.ps1 registers, $null and TASK_LOGON_NONE (0) when no
    # password is sent, so Task Scheduler takes both from the XML's principal.
    param ($Change, $Password)
    if ($refusal = Get-LinkRefusal $Change (Get-TaskFolderPath ([string]$Change.folder))) { return $refusal }
    if (-not (Get-CurrentTask $Change).Expected) { return New-Outcome 'refused' -Concurrent }
    $folder = Get-TaskFolder ([string]$Change.folder)
    if ($null -eq $folder) { return New-Outcome 'refused' "task folder '$($Change.folder)' does not exist" }
    $flags = $TASK_UPDATE
    if ($null -eq $Change.expected_hash) { $flags = $TASK_CREATE }
    $task = $folder.RegisterTask([string]$Change.name, [string]$Change.xml, $flags, $Change.register_user, $Password, [int]$Change.register_logon, $null)
    # Registered is registered: a read-back that fails leaves task_hash null (the controller
    # relies on none: its next read brings the hash) instead of turning an applied change into a failure.
    $outcome = New-Outcome 'applied'
    try { $outcome.task_hash = Get-TextHash ([string]$task.Xml) }
    catch { $outcome.message = "registered; its XML could not be read back: $(Get-ErrorText $_)" }
    $outcome
}

Function Remove-TaskChange {
    # ITaskFolder::DeleteTask(name, flags) takes the name within the folder, flags "not
    # supported", 0 (Microsoft docs: ITaskFolder::DeleteTask); folder and name come split from
    # the controller (contract.split_task_path).
    param ($Change)
    if ($refusal = Get-LinkRefusal $Change (Get-TaskFolderPath ([string]$Change.folder))) { return $refusal }
    $current = Get-CurrentTask $Change
    if (-not $current.Expected) { return New-Outcome 'refused' -Concurrent }
    if ($null -eq $current.Task) { return New-Outcome 'unchanged' }
    (Get-TaskFolder ([string]$Change.folder)).DeleteTask([string]$Change.name, 0)
    New-Outcome 'applied'
}

Function Invoke-Change {
    param ($Change, $Password)
    switch ([string]$Change.kind) {
        'create_folder' { return Add-TaskFolderChange $Change }
        'create_directory' { return Add-DirectoryChange $Change }
        'write_file' { return Write-FileChange $Change }
        'set_acl' { return Set-AclChange $Change }
        'register_task' { return Register-TaskChange $Change $Password }
        'delete_task' { return Remove-TaskChange $Change }
        default { return New-Outcome 'refused' "unknown change kind '$($Change.kind)'" }
    }
}

Function Invoke-ApplyOp {
    param ($Request, [hashtable]$Passwords)
    $succeeded = @{}
    $results = [System.Collections.Generic.List[object]]::new()
    # One apply at a time on this host, whatever the session (a Global\ name: .NET Mutex docs),
    # so that no other apply writes between a change's hash check and its write.
    $mutex = $null
    $held = $false
    $stopped = $null
    try {
        $mutex = [System.Threading.Mutex]::new($false, 'Global\isotools.shop_sync.apply')
        # How long to wait is the controller's (ApplyRequest.lock_seconds, always sent).
        try { $held = $mutex.WaitOne([TimeSpan]::FromSeconds([int]$Request.lock_seconds)) }
        catch [System.Threading.AbandonedMutexException] { $held = $true }  # its holder died; it is ours now
        if (-not $held) { throw "another apply has held this host for $([int]$Request.lock_seconds) seconds; re-run" }
        foreach ($change in $Request.changes) {
            $id = [string]$change.id
            $missing = @($change.requires | Where-Object { $null -ne $_ -and -not $succeeded.ContainsKey([string]$_) })
            # Skipped, and nothing said: the controller names what it required (plan.outcome_after_apply).
            if ($missing.Count -gt 0) { $outcome = New-Outcome 'skipped' }
            else {
                try { $outcome = Invoke-Change $change $Passwords[$id] }
                catch { $outcome = New-Outcome -Status 'failed' -Message (Get-ErrorText $_) -ErrorCode (Get-ErrorCode $_.Exception) }
            }
            $outcome.id = $id
            if ($outcome.status -in @('applied', 'unchanged')) { $succeeded[$id] = $true }
            $results.Add($outcome)
        }
    }
    catch { $stopped = Get-ErrorText $_ }
    finally {
        if ($held) { $mutex.ReleaseMutex() }
        if ($null -ne $mutex) { $mutex.Dispose() }
    }
    # Stopped outside any one change: what was done is still reported, and why the rest was not
    # reached; the controller counts those changes skipped (ApplyResult.result).
    @{ op = 'apply'; results = $results; stopped = $stopped }
}

Function Wait-TaskRun {
    # Poll every second until the instance each run started is no longer among its task's running
    # instances (IRegisteredTask.GetInstances), or the timeout. Durations are stopwatch time.
    param ([System.Collections.Generic.List[object]]$Trackers, [int]$Timeout)
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $pending = $Trackers
    while ($pending.Count -gt 0) {
        $waiting = [System.Collections.Generic.List[object]]::new()
        foreach ($tracker in $pending) {
            $task = Get-RegisteredTask $tracker.Run.path
            $running = $null -ne $task -and @($task.GetInstances(0) | Where-Object { [Guid]$_.InstanceGuid -eq $tracker.Instance }).Count -gt 0
            if ($running) { $waiting.Add($tracker); continue }
            # Finished: its end time says so (contract.TaskRun reads a run with one as finished).
            $run = $tracker.Run
            $run.end_time = Format-HostTime ([DateTime]::Now)
            $run.duration = [Math]::Round($tracker.Clock.Elapsed.TotalSeconds, 1)
            # A task gone when its run ended leaves last_result out: the controller says so (task_runs.run_summary).
            if ($null -ne $task) { $run.last_result = $task.LastTaskResult }
        }
        $pending = $waiting
        # Still running at the timeout: left running, with no end time; the controller, which
        # asked to wait, calls that timed out and words it (contract.RunResult, task_runs).
        if ($pending.Count -eq 0 -or $clock.Elapsed.TotalSeconds -ge $Timeout) { return }
        Start-Sleep -Seconds 1
    }
}

Function Invoke-RunOp {
    param ($Request)
    $runs = [System.Collections.Generic.List[object]]::new()
    $started = [System.Collections.Generic.List[object]]::new()
    foreach ($path in $Request.tasks) {
        # What a run did not reach is left out: the contract's defaults (contract.TaskRun) say none;
        # a run is started when it has the instance it started (instance_id).
        $run = @{ path = [string]$path }
        $runs.Add($run)
        $task = Get-RegisteredTask ([string]$path)
        # Not found: not started, and nothing said; the controller words it (task_runs.run_summary).
        if ($null -eq $task) { continue }
        # Run returns the IRunningTask it started (Microsoft's IRegisteredTask::Run): its
        # InstanceGuid is the ActivityId of the run's history events, and the one waited for.
        # A disabled task is refused by Task Scheduler itself (SCHED_E_TASK_DISABLED, 0x80041326,
        # "The task is disabled."), a refusal the caught message carries.
        try { $instance = $task.Run($null) }
        catch { $run.message = Get-ErrorText $_; continue }
        $run.start_time = Format-HostTime ([DateTime]::Now)
        $run.instance_id = [string][Guid]$instance.InstanceGuid
        $started.Add(@{ Run = $run; Instance = [Guid]$instance.InstanceGuid; Clock = [System.Diagnostics.Stopwatch]::StartNew() })
    }
    # wait and timeout are always sent (RunRequest.to_json): the defaults are the controller's.
    if ($Request.wait -and $started.Count -gt 0) { Wait-TaskRun -Trackers $started -Timeout ([int]$Request.timeout) }
    @{ op = 'run'; runs = $runs }
}

Function Invoke-HistoryOp {
    # The structured query and max_events are the controller's (HistoryRequest.to_json always
    # sends both); the host runs it and hands each event over as it is. Which of them are the
    # asked tasks' (the query matches any data value) is judged by the controller
    # (HistoryResult.from_json), and so is an event without a TaskName or a time.
    param ($Request)
    # The log is the controller's (HistoryRequest.to_json sends it with the query that reads it).
    $available = [bool](Get-WinEvent -ListLog ([string]$Request.log)).IsEnabled
    $events = [System.Collections.Generic.List[object]]::new()
    $records = @()
    if ($Request.query) {
        try { $records = @(Get-WinEvent -FilterXml ([xml][string]$Request.query) -MaxEvents ([int]$Request.max_events)) }
        catch { if ($_.FullyQualifiedErrorId -notlike 'NoMatchingEventsFound*') { throw } }
    }
    foreach ($record in $records) {
        $data = @{}
        foreach ($item in ([xml]$record.ToXml()).GetElementsByTagName('Data')) { $data[$item.GetAttribute('Name')] = $item.InnerText }
        # ResultCode as the event gives it (decimal or 0x hex text): the controller reads it.
        $events.Add(@{
                path = $data['TaskName']; time = Format-HostTime $record.TimeCreated; event_id = [int]$record.Id; message = $record.Message
                result_code = $data['ResultCode']; activity_id = [string]$record.ActivityId
            })
    }
    @{ op = 'history'; events = $events; available = $available }
}

# FailJson and ExitJson end the script through an exit that a catch-all must not intercept, so
# they are only ever called outside try.
$request = $null
$failure = $null
# Ansible.Basic's own parser (JavaScriptSerializer with MaxJsonLength = int.MaxValue): Windows
# PowerShell's ConvertFrom-Json refuses a request past 2 MB. On PowerShell 6+ that parser is
# JSON.NET, whose JObjects PowerShell cannot dot into, and ConvertFrom-Json has no such cap.
try {
    if ($PSVersionTable.PSVersion.Major -ge 6) { $request = ConvertFrom-Json -InputObject $module.Params.request }
    else { $request = [Ansible.Basic.AnsibleModule]::FromJson($module.Params.request) }
}
catch { $failure = $_ }
if ($null -ne $failure) { $module.FailJson("request is not valid JSON: $(Get-ErrorText $failure)", $failure) }
$op = [string]$request.op
$passwords = @{}
foreach ($entry in $module.Params.passwords) { $passwords[[string]$entry.id] = [string]$entry.password }
# Check mode is decided on the controller, which never sends a write then: refused, not branched.
if ($module.CheckMode -and $op -in @('apply', 'run')) { $module.FailJson("$($op) writes and is never sent in check mode") }
# Passwords come only with an apply: the controller refuses to send them with anything else
# (hosts/winrm.py), and only an apply's register_task changes ever read them.

$response = $null
try {
    $scheduler = New-Object -ComObject Schedule.Service
    $scheduler.Connect()
    switch ($op) {
        'read' { $response = Invoke-ReadOp $request }
        'apply' { $response = Invoke-ApplyOp $request $passwords }
        'run' { $response = Invoke-RunOp $request }
        'history' { $response = Invoke-HistoryOp $request }
        default { throw "unknown op '$op': expected read, apply, run or history" }
    }
}
catch {
    $failure = $_
}
if ($null -ne $failure) { $module.FailJson("$($op): $(Get-ErrorText $failure)", $failure) }
# changed is the action's to say, from the response (hosts/winrm.py reads only the response).
$module.Result.response = $response
$module.ExitJson()
