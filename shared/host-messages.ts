/**
 * The host's own messages — refusals, zip verdicts, name rules, download failures, timeouts, plugin start
 * failures, settings problems, log notes — as one catalog of templates with an English and a Chinese form.
 *
 * The host builds every such message from its English template (`hostMessage`), so what it sends stays
 * byte for byte what scripts and tests match. The window reads a message back into its key and parameters
 * (`matchHostMessage`, anchored patterns generated from the same templates) and shows it in its own language
 * (`localizeHostMessage`), keeping eKuiper's own texts — the prefixes scripts match, such as
 * `sinks plugins create command error: ` — as they are, and falling back to the English text for anything it
 * does not know. Templates name their parameters `{like_this}`; a parameter may itself hold a catalog
 * message, which is translated too.
 */

/** One message: its English form, as the host sends it, and its Chinese form, for the window. */
export interface HostMessageTemplate {
  en: string;
  zh: string;
}

export const HOST_MESSAGES = {
  // ---- names ---------------------------------------------------------------------------------------
  nameTooLongForFiles: {
    en: 'invalid name {name}: {length} characters is too long. Plugin names can be at most {limit} characters, because eKuiper stores the plugin in files named after it ({example}) and a file name can be at most 255 bytes',
    zh: '名称 {name} 无效：{length} 个字符太长。插件名称最多 {limit} 个字符，因为 eKuiper 用插件名称命名它的文件（{example}），而文件名最多 255 字节',
  },
  nameTooLongForSocket: {
    en: 'invalid name {name}: {length} characters is too long. Portable plugin names can be at most {limit} characters, because eKuiper talks to the plugin through the socket {socket}, and a socket path can be at most 103 bytes on macOS (107 on Linux)',
    zh: '名称 {name} 无效：{length} 个字符太长。Portable 插件名称最多 {limit} 个字符，因为 eKuiper 通过套接字 {socket} 与插件通信，而套接字路径在 macOS 上最多 103 字节（Linux 上 107 字节）',
  },
  functionNameTooLong: {
    en: 'invalid function name {name}: {length} characters is too long; function names can be at most {limit} characters',
    zh: '函数名称 {name} 无效：{length} 个字符太长；函数名称最多 {limit} 个字符',
  },
  nativeNameUpperFirst: {
    en: "invalid name {name}: native plugin names start with a lower-case letter, because eKuiper derives the name from the .so file ({upper}.so is the plugin '{lower}'); use '{lower}'",
    zh: "名称 {name} 无效：原生插件名称须以小写字母开头，因为 eKuiper 从 .so 文件名推出插件名称（{upper}.so 是插件 '{lower}'）；请使用 '{lower}'",
  },
  duplicateFirstLetterCase: {
    en: "the {kind} plugin '{other}' is installed, and eKuiper stores both under the same files (it ignores the case of a name's first letter); delete it first",
    zh: "已安装 {kind} 插件 '{other}'，eKuiper 会把两者存为同一组文件（它不区分名称首字母的大小写）；请先删除它",
  },
  functionExportedBy: {
    en: "the {ownerKind} plugin '{owner}' exports it. Function names are global; rename the function or delete that plugin first",
    zh: "{ownerKind} 插件 '{owner}' 已导出该函数。函数名称是全局的；请重命名函数或先删除那个插件",
  },
  functionIsJavascript: {
    en: "the custom JavaScript function '{name}' has that name (GET /udf/javascript/{name}). Function names are global; rename the new function or delete the JavaScript function first",
    zh: "自定义 JavaScript 函数 '{name}' 已使用该名称（GET /udf/javascript/{name}）。函数名称是全局的；请重命名新函数或先删除那个 JavaScript 函数",
  },
  symbolProvidedBy: {
    en: "the {ownerKind} plugin '{owner}' provides it. Rules could not tell the two apart; rename the {what} or delete that plugin first",
    zh: "{ownerKind} 插件 '{owner}' 已提供同名 {what}。规则无法区分两者；请重命名该 {what} 或先删除那个插件",
  },

  // ---- zips: not a zip ---------------------------------------------------------------------------------
  notZipEmpty: {
    en: 'the file is empty (0 bytes): the download or copy produced nothing — fetch or build the zip again',
    zh: '文件是空的（0 字节）：下载或复制没有得到任何内容——请重新获取或打包该 zip',
  },
  notZipHtml: {
    en: 'the file is an HTML page, not a zip: most likely an error or login page saved under the .zip name — open the address in a browser to see what the server answers',
    zh: '文件是一个 HTML 网页而不是 zip：很可能是服务器返回的错误页或登录页被存成了 .zip——请在浏览器中打开该地址查看服务器的应答',
  },
  notZipText: {
    en: 'the file is text, not a zip; it begins “{start}”',
    zh: '文件是文本而不是 zip；开头是“{start}”',
  },
  notZipOtherArchive: {
    en: 'the file is a {format} archive, not a zip: eKuiper installs plugins only from .zip files — unpack it and zip the plugin files instead',
    zh: '文件是 {format} 归档而不是 zip：eKuiper 只能从 .zip 文件安装插件——请解开它，再把插件文件打成 zip',
  },
  notZipTruncated: {
    en: 'the file starts like a zip but its end is missing or damaged: the download or copy was probably cut short ({size}) — fetch or build it again',
    zh: '文件开头像 zip，但结尾缺失或损坏：下载或复制多半被中断了（{size}）——请重新获取或打包',
  },
  notZipUnknown: {
    en: 'the file does not start with a zip signature and holds no zip directory ({size}): it is another kind of file renamed to .zip, or damaged',
    zh: '文件既没有 zip 的开头标记，也没有 zip 目录（{size}）：它是改名为 .zip 的其他文件，或者已经损坏',
  },

  // ---- zips: entries -----------------------------------------------------------------------------------
  zipTooManyEntries: {
    en: 'the zip lists {count} entries, more than the {max} allowed by the setting maxZipEntries; a plugin zip rarely needs that many files — check that it does not include build folders or dependencies by mistake, or raise maxZipEntries if they really belong to the plugin',
    zh: 'zip 列出了 {count} 个条目，超过设置 maxZipEntries 允许的 {max} 个；插件 zip 很少需要这么多文件——请检查是否误把构建目录或依赖打包进去，若确实属于插件，请调大 maxZipEntries',
  },
  zipTooLarge: {
    en: 'the zip unpacks to {size}, more than the {limit} allowed by the setting maxZipInflatedBytes; leave large data files out of the plugin zip, or raise maxZipInflatedBytes if the plugin really needs them',
    zh: 'zip 解压后有 {size}，超过设置 maxZipInflatedBytes 允许的 {limit}；请把大的数据文件移出插件 zip，若插件确实需要，请调大 maxZipInflatedBytes',
  },
  zipEntryNul: {
    en: "the zip entry '{entry}' has a NUL character in its name, which no file system accepts; the zip is damaged — rebuild the zip from inside the plugin folder, for example: cd myplugin && zip -r ../myplugin.zip .",
    zh: "zip 条目 '{entry}' 的名称里有 NUL 字符，任何文件系统都不接受；zip 已损坏——请在插件目录里重新打包，例如：cd myplugin && zip -r ../myplugin.zip .",
  },
  zipEntryAbsolute: {
    en: "the zip entry '{entry}' has an absolute path; eKuiper plugin zips hold only paths relative to their root — rebuild the zip from inside the plugin folder, for example: cd myplugin && zip -r ../myplugin.zip .",
    zh: "zip 条目 '{entry}' 是绝对路径；eKuiper 插件 zip 只能包含相对于根目录的路径——请在插件目录里重新打包，例如：cd myplugin && zip -r ../myplugin.zip .",
  },
  zipEntryClimbsOut: {
    en: "the zip entry '{entry}' climbs out of the plugin folder; eKuiper plugin zips hold only paths relative to their root — rebuild the zip from inside the plugin folder, for example: cd myplugin && zip -r ../myplugin.zip .",
    zh: "zip 条目 '{entry}' 指向插件目录之外；eKuiper 插件 zip 只能包含相对于根目录的路径——请在插件目录里重新打包，例如：cd myplugin && zip -r ../myplugin.zip .",
  },
  zipEntryNoName: {
    en: "the zip entry '{entry}' is a file without a name inside the plugin folder; rebuild the zip from inside the plugin folder, for example: cd myplugin && zip -r ../myplugin.zip .",
    zh: "zip 条目 '{entry}' 是插件目录里一个没有名称的文件；请在插件目录里重新打包，例如：cd myplugin && zip -r ../myplugin.zip .",
  },
  zipEntrySymlink: {
    en: "the zip entry '{entry}' is a symbolic link; links could point outside the plugin folder, so they are not installed — replace the link with the file it points to (zip without -y) and rebuild the zip",
    zh: "zip 条目 '{entry}' 是符号链接；链接可能指向插件目录之外，因此不会被安装——请用它指向的文件替换链接（zip 时不加 -y）后重新打包",
  },
  zipEntryEncrypted: {
    en: "the zip entry '{entry}' is password-protected; plugins are installed unattended, so the zip must not be encrypted — rebuild it without a password (no -P or -e option)",
    zh: "zip 条目 '{entry}' 设有密码；插件是无人值守安装的，zip 不能加密——请不设密码重新打包（不加 -P 或 -e 选项）",
  },
  zipEntryMethod: {
    en: "the zip entry '{entry}' is compressed with the {method} method; eKuiper and this manager read only stored and Deflate entries — rebuild the zip with the standard zip tool or your archiver's \"Deflate\" (ZIP) setting",
    zh: "zip 条目 '{entry}' 使用 {method} 压缩方法；eKuiper 和本管理器只能读取不压缩（stored）和 Deflate 条目——请用标准 zip 工具或压缩软件的 “Deflate”（ZIP）设置重新打包",
  },
  zipFileAndFolder: {
    en: "the zip holds '{path}' as a file and also files inside a folder '{path}/'; a path cannot be both — rename one of them and rebuild the zip",
    zh: "zip 里 '{path}' 既是文件，又是装有文件的目录 '{path}/'；一个路径不能两者兼是——请重命名其中之一后重新打包",
  },
  zipDuplicateEntry: {
    en: "the zip holds '{entry}' more than once (as '{path}'); only one copy could be installed and it is not clear which — rebuild the zip so that each path appears once",
    zh: "zip 里 '{entry}' 出现了不止一次（即 '{path}'）；只能安装其中一份，且无法确定是哪一份——请重新打包，使每个路径只出现一次",
  },
  zipEntryDamaged: {
    en: "the zip entry '{entry}' is damaged: {problem}. The zip was probably cut short or altered while downloading or copying — download or build it again",
    zh: "zip 条目 '{entry}' 已损坏：{problem}。zip 多半在下载或复制时被截断或改动——请重新下载或打包",
  },
  zipEntryMethodNumber: {
    en: "the zip entry '{entry}' uses compression method {method}, which cannot be extracted; rebuild the zip with Deflate compression",
    zh: "zip 条目 '{entry}' 使用压缩方法 {method}，无法解压；请用 Deflate 压缩重新打包",
  },
  damageLocalHeader: { en: 'its local header is missing or damaged', zh: '它的本地文件头缺失或损坏' },
  damagePastEnd: { en: 'its data runs past the end of the file', zh: '它的数据超出了文件末尾' },
  damageCutShort: { en: 'its data is cut short', zh: '它的数据不完整' },
  damageCompressed: { en: 'its compressed data is damaged', zh: '它的压缩数据已损坏' },
  damageChecksum: {
    en: 'its checksum (CRC-32) does not match its data',
    zh: '它的校验和（CRC-32）与数据不符',
  },
  damageSizeMismatch: {
    en: 'it holds {actual} bytes but its header declares {declared}',
    zh: '它有 {actual} 字节，但文件头声明的是 {declared}',
  },
  damageOverflow: {
    en: 'it inflates to more than the {declared} bytes its header declares',
    zh: '它解压后超过了文件头声明的 {declared} 字节',
  },
  zipEntryUnreadable: {
    en: "the zip entry '{entry}' cannot be read here",
    zh: "这里无法读取 zip 条目 '{entry}'",
  },
  fileNameTooLong: {
    en: 'installing it would write the file {file}, whose name is {bytes} bytes long; file names can be at most 255 bytes — shorten the plugin name or the file name in the zip',
    zh: '安装它会写入文件 {file}，其名称长 {bytes} 字节；文件名最多 255 字节——请缩短插件名称或 zip 里的文件名',
  },

  // ---- zips: layout --------------------------------------------------------------------------------
  zipTopFolder: {
    en: "the files sit under the folder '{folder}/', but eKuiper looks for {expected} at the root of the zip. Zip the folder's contents rather than the folder (for example: cd {folder} && zip -r ../{folder}.zip .)",
    zh: "文件都在目录 '{folder}/' 下，但 eKuiper 在 zip 的根目录寻找 {expected}。请压缩目录里的内容而不是目录本身（例如：cd {folder} && zip -r ../{folder}.zip .）",
  },
  nativeWrongLibrary: {
    en: "found {found}, but a {kind} plugin named '{name}' needs {expected} (optionally with a version, e.g. {example}) at the root of the zip. Rename the .so file, or install the plugin under the name its file carries",
    zh: "找到了 {found}，但名为 '{name}' 的 {kind} 插件需要在 zip 根目录有 {expected}（可带版本号，例如 {example}）。请重命名 .so 文件，或用文件所带的名称安装插件",
  },
  nativeNoLibrary: {
    en: 'no compiled plugin: a {kind} plugin zip needs {expected} at its root (found {found})',
    zh: '没有编译好的插件：{kind} 插件 zip 的根目录需要 {expected}（找到的是 {found}）',
  },
  nativeManyLibraries: {
    en: "found {count} compiled plugins for '{name}' ({found}); keep exactly one .so in the zip",
    zh: "为 '{name}' 找到了 {count} 个编译好的插件（{found}）；zip 里只能有一个 .so",
  },
  sourceNeedsConfig: {
    en: 'a source plugin needs its default configuration {config} at the root of the zip, beside {library} (found {found})',
    zh: 'source 插件需要在 zip 根目录、{library} 旁边放默认配置 {config}（找到的是 {found}）',
  },
  manifestNamedOtherwise: {
    en: 'the manifest must be named after the plugin. The zip holds {files}, so it looks like the plugin {others}: install it under that name, or rename the manifest to {wanted}',
    zh: '清单文件必须以插件名称命名。zip 里有 {files}，看起来是插件 {others}：请用那个名称安装，或把清单文件改名为 {wanted}',
  },
  manifestMissing: {
    en: 'a portable plugin zip needs its manifest {wanted} at the root',
    zh: 'portable 插件 zip 的根目录需要清单文件 {wanted}',
  },
  manifestMissingNative: {
    en: 'a portable plugin zip needs its manifest {wanted} at the root; this zip holds {libraries}, the library of a native plugin: install it as a source, sink or function plugin instead',
    zh: 'portable 插件 zip 的根目录需要清单文件 {wanted}；这个 zip 里有 {libraries}，是原生插件的库文件：请改为作为源、目标或函数插件安装',
  },
  manifestNotList: {
    en: '"{field}" must be a list of names, like ["{example}"]',
    zh: '"{field}" 必须是名称列表，例如 ["{example}"]',
  },
  manifestBadSymbol: {
    en: '"{field}" holds \'{symbol}\', which is not a plain symbol name',
    zh: '"{field}" 中的 \'{symbol}\' 不是普通的符号名称',
  },
  manifestNotString: {
    en: '"{field}" must be a string',
    zh: '"{field}" 必须是字符串',
  },
  manifestNotObject: {
    en: 'the manifest must be a JSON object',
    zh: '清单必须是一个 JSON 对象',
  },
  manifestTooLarge: {
    en: '{bytes} bytes is too large for a manifest',
    zh: '清单文件太大（{bytes} 字节）',
  },
  manifestDeclaresOther: {
    en: 'the manifest {file} declares the plugin \'{declared}\'. Install it under that name, or change "name" in the manifest',
    zh: '清单 {file} 声明的是插件 \'{declared}\'。请用那个名称安装，或修改清单中的 "name"',
  },
  manifestSetLanguage: {
    en: 'set "language" in {file} to "go" or "python"',
    zh: '请把 {file} 中的 "language" 设为 "go" 或 "python"',
  },
  manifestSetExecutable: {
    en: 'set "executable" in {file} to the program to run',
    zh: '请把 {file} 中的 "executable" 设为要运行的程序',
  },
  manifestListSymbols: {
    en: 'list them in "sources", "sinks" or "functions" of {file}',
    zh: '请在 {file} 的 "sources"、"sinks" 或 "functions" 中列出它们',
  },
  manifestUseLanguage: {
    en: 'use "go" or "python"',
    zh: '请使用 "go" 或 "python"',
  },
  manifestExecutableOutside: {
    en: 'invalid plugin, executable \'{executable}\' must be a path inside the plugin, like "{name}"',
    zh: '插件无效：可执行文件 \'{executable}\' 必须是插件内的路径，例如 "{name}"',
  },
  manifestExecutableMissing: {
    en: "the manifest names '{executable}' as the executable, but the zip has no such file (its root holds {files})",
    zh: "清单把 '{executable}' 作为可执行文件，但 zip 里没有这个文件（根目录里有 {files}）",
  },
  manifestSourceConfigMissing: {
    en: "every source the manifest declares needs its default configuration in the zip (add {config} for the source '{source}')",
    zh: "清单声明的每个 source 都需要在 zip 里有默认配置（请为 source '{source}' 添加 {config}）",
  },
  manifestForeignSymbolFile: {
    en: "{file} does not belong to a {what} this plugin declares ({declared}): files under {folder}/ configure the plugin's own symbols and would overwrite another plugin's configuration. Declare '{symbol}' in the manifest or remove the file",
    zh: "{file} 不属于本插件声明的任何 {what}（{declared}）：{folder}/ 下的文件用于配置插件自己的符号，会覆盖其他插件的配置。请在清单中声明 '{symbol}'，或删除该文件",
  },

  // ---- authoring: pack (main/authoring/pack — packaging a plugin folder) -------------------------------
  packFolderMissing: {
    en: 'the folder {folder} does not exist or cannot be read',
    zh: '目录 {folder} 不存在或无法读取',
  },
  packNotFolder: {
    en: '{folder} is a file, not a folder',
    zh: '{folder} 是文件，不是目录',
  },
  packFixFolder: {
    en: 'give the path of the plugin folder: the one holding the manifest <name>.json',
    zh: '请给出插件目录的路径：即存放清单 <name>.json 的目录',
  },
  packFixTopFolder: {
    en: 'choose the folder {inner} itself: it holds the manifest {manifest}',
    zh: '请直接选择目录 {inner}：清单 {manifest} 在它里面',
  },
  packFixNoManifest: {
    en: "add {wanted} at the folder's root, for example {example}, or start from New plugin",
    zh: '请在目录根部添加 {wanted}，例如 {example}，或从“新建插件”开始',
  },
  packFixManifest: {
    en: 'correct {file} as the message says',
    zh: '请按提示修改 {file}',
  },
  packFixManifestName: {
    en: 'rename {file} to {declared}.json, or set "name" in it to "{name}"',
    zh: '请把 {file} 改名为 {declared}.json，或把其中的 "name" 改为 "{name}"',
  },
  packFixName: {
    en: 'rename the manifest {file} (and its "name") to a valid plugin name',
    zh: '请把清单 {file}（及其中的 "name"）改为合法的插件名称',
  },
  packFixGoExecutable: {
    en: 'build the executable into the folder, for example: GOOS={os} GOARCH={arch} go build -o {executable} .',
    zh: '请把可执行文件编译到该目录，例如：GOOS={os} GOARCH={arch} go build -o {executable} .',
  },
  packFixPythonExecutable: {
    en: 'create {executable} in the folder, or set "executable" in {file} to the Python file that calls plugin.start',
    zh: '请在目录中创建 {executable}，或把 {file} 中的 "executable" 设为调用 plugin.start 的 Python 文件',
  },
  packFixSourceConfig: {
    en: 'create {config} in the folder with a default section, for example: {example}',
    zh: '请在目录中创建 {config}，其中要有 default 段，例如：{example}',
  },
  packFixForeignSymbolFile: {
    en: "declare '{symbol}' in {file}, or delete {entry} from the folder",
    zh: "请在 {file} 中声明 '{symbol}'，或从目录中删除 {entry}",
  },
  packNativePlugin: {
    en: 'the folder holds the native plugin libraries {files}; native .so plugins are not packaged here',
    zh: '目录中有原生插件库 {files}；这里不打包原生 .so 插件',
  },
  packFixNativePlugin: {
    en: 'zip the .so with its .yaml and .json at the root and install it on the Extensions page, or make the folder a portable plugin with a manifest',
    zh: '请把 .so 及其 .yaml、.json 放在根目录打成 zip，在“扩展”页安装；或给目录加上清单，做成 portable 插件',
  },
  packFixZipRule: {
    en: 'change the folder as the message says, then package it again',
    zh: '请按提示修改目录，然后重新打包',
  },
  packExecBitSet: {
    en: '{executable} has no exec bit in the folder; the zip gives it one (mode 0755) so eKuiper can start it',
    zh: '{executable} 在目录中没有可执行权限；zip 里已为它设置（模式 0755），eKuiper 才能启动它',
  },
  packBinaryUnknown: {
    en: "{executable} is not a program this app recognises (ELF, PE or Mach-O); eKuiper starts a Go plugin's executable directly, so build it with go build",
    zh: '{executable} 不是本应用能识别的程序（ELF、PE 或 Mach-O）；eKuiper 直接启动 Go 插件的可执行文件，请用 go build 编译',
  },
  packTargetMismatch: {
    en: 'built for {built}; {server} runs {os}/{arch}: rebuild with GOOS={os} GOARCH={arch}',
    zh: '编译目标是 {built}；{server} 运行在 {os}/{arch}：请用 GOOS={os} GOARCH={arch} 重新编译',
  },
  packTargetUnknown: {
    en: '{server} has not told its OS and architecture (it has not answered a check yet), so the executable cannot be compared with it',
    zh: '{server} 尚未报告其操作系统和架构（还没有成功检查过），无法与可执行文件比较',
  },
  packOutputInside: {
    en: 'the zip {output} would be written inside the plugin folder {folder} and packaged with the next build; choose a path outside it',
    zh: 'zip {output} 会写在插件目录 {folder} 里，并被下次打包进去；请选择目录之外的路径',
  },
  packOutputNotZip: {
    en: 'the output {output} must be a file name ending in .zip',
    zh: '输出 {output} 必须是以 .zip 结尾的文件名',
  },
  packRefused: {
    en: 'cannot package {folder}: {problems}',
    zh: '无法打包 {folder}：{problems}',
  },
  packNoServer: {
    en: 'no server has the id {id} (GET /manager/servers lists them)',
    zh: '没有 id 为 {id} 的服务器（GET /manager/servers 可列出它们）',
  },

  // ---- downloads and files -------------------------------------------------------------------------
  downloadRefused: {
    en: 'the server {server} refused the connection: nothing is listening there, or a firewall turned the connection away ({code}).{hint}',
    zh: '服务器 {server} 拒绝了连接：那里没有服务在监听，或被防火墙拒绝（{code}）。{hint}',
  },
  downloadNameNotFound: {
    en: 'the name {hostname} cannot be resolved (DNS, {code}): this machine may be offline, or the name is misspelt.{hint}',
    zh: '无法解析名称 {hostname}（DNS，{code}）：这台机器可能没有联网，或者名称拼错了。{hint}',
  },
  downloadUnreachable: {
    en: 'the server {server} cannot be reached ({code}): this machine may be offline, or the network has no route to it.{hint}',
    zh: '无法连接服务器 {server}（{code}）：这台机器可能没有联网，或网络没有通往它的路由。{hint}',
  },
  downloadReset: {
    en: 'the connection to {server} was cut ({code}): the server or a proxy closed it before the file arrived; try again.{hint}',
    zh: '与 {server} 的连接被中断（{code}）：服务器或代理在文件传完前关闭了连接；请重试。{hint}',
  },
  downloadTls: {
    en: 'the secure connection (TLS) to {server} failed: {reason} ({code}). Check the address, or the certificate the server presents.{hint}',
    zh: '与 {server} 的安全连接（TLS）失败：{reason}（{code}）。请检查地址，或服务器提供的证书。{hint}',
  },
  downloadOtherNetwork: {
    en: 'the download from {server} failed: {reason}.{hint}',
    zh: '从 {server} 下载失败：{reason}。{hint}',
  },
  downloadTimedOut: {
    en: 'the download did not finish within {seconds} s: the server {server} is slow or does not answer; try again, or raise downloadTimeoutMs on the Settings page.{hint}',
    zh: '下载未能在 {seconds} 秒内完成：服务器 {server} 太慢或没有应答；请重试，或在设置页调大 downloadTimeoutMs。{hint}',
  },
  downloadNotFound: {
    en: 'the server has no file at this address — check the address.{hint}',
    zh: '服务器上没有这个地址的文件——请检查地址。{hint}',
  },
  downloadForbidden: {
    en: 'the server refuses to give this file (it may need a login or block this machine) — check the address.{hint}',
    zh: '服务器拒绝提供这个文件（可能需要登录，或屏蔽了这台机器）——请检查地址。{hint}',
  },
  downloadServerError: {
    en: 'the server failed to answer; try again later.{hint}',
    zh: '服务器未能正常应答；请稍后重试。{hint}',
  },
  pluginHostHint: {
    en: ' This address is on the plugin host {host}, which the pluginHosts setting names: change it on the Settings page (Prebuilt plugins) if this host is wrong or unreachable from here',
    zh: '该地址位于插件仓库 {host}，由设置 pluginHosts 指定：若它不对或从这里无法访问，请在设置页（预编译插件）修改',
  },
  downloadTooLarge: {
    en: 'the file is larger than {limit}, the limit set by maxDownloadBytes',
    zh: '文件大于设置 maxDownloadBytes 限定的 {limit}',
  },
  uploadTooLarge: {
    en: '{file} is larger than {limit}, the limit set by maxDownloadBytes',
    zh: '{file} 大于设置 maxDownloadBytes 限定的 {limit}',
  },
  downloadTooManyRedirects: {
    en: 'stopped after 10 redirects',
    zh: '重定向 10 次后停止',
  },
  downloadRedirectRefused: {
    en: 'refused a redirect to {protocol} URL',
    zh: '拒绝重定向到 {protocol} 地址',
  },
  fileAccessDenied: {
    en: 'the allowExternalFileAccess setting is off, so plugins install only from files in the uploads folder. Upload the zip from the window (or copy it into that folder), or turn on allowExternalFileAccess on the Settings page',
    zh: '设置 allowExternalFileAccess 已关闭，因此只能从 uploads 目录中的文件安装插件。请在窗口中上传 zip（或把它复制到该目录），或在设置页打开 allowExternalFileAccess',
  },

  // ---- install.sh ----------------------------------------------------------------------------------
  installScriptTimedOut: {
    en: 'install.sh did not finish within {limit} and was stopped (the limit is the installScriptTimeoutMs setting); nothing was installed.{output}',
    zh: 'install.sh 未能在 {limit} 内完成，已被停止（时限由设置 installScriptTimeoutMs 决定）；没有安装任何内容。{output}',
  },
  installScriptFailed: {
    en: 'install.sh {how}; nothing was installed.{output}',
    zh: 'install.sh {how}；没有安装任何内容。{output}',
  },
  installScriptExited: { en: 'exited with status {code}', zh: '退出，状态码 {code}' },
  processKilled: { en: 'was killed by {signal}', zh: '被 {signal} 终止' },
  installScriptSilent: { en: ' It printed nothing.', zh: '它没有任何输出。' },
  installScriptOutput: { en: ' Its output:\n{text}', zh: '它的输出：\n{text}' },
  installScriptNotStarted: {
    en: 'install.sh could not be started: {reason}',
    zh: '无法启动 install.sh：{reason}',
  },

  // ---- portable plugins' processes -----------------------------------------------------------------
  pluginNoHandshake: {
    en: 'plugin {name} did not call its control channel {socket} within {ms} ms (the init timeout). A plugin dials the name compiled into it: check that the install name matches the name the program registers{stderr}',
    zh: '插件 {name} 未在 {ms} 毫秒（初始化时限）内连接控制通道 {socket}。插件连接的是编译进程序的名称：请检查安装名称与程序注册的名称是否一致{stderr}',
  },
  pluginErrorOutput: { en: '. Its error output: {stderr}', zh: '。它的错误输出：{stderr}' },
  pluginCommandNotFound: { en: 'cannot start {command}: not found', zh: '无法启动 {command}：找不到该程序' },
  pluginCommandNotExecutable: {
    en: 'cannot start {command}: permission denied (is it an executable program?)',
    zh: '无法启动 {command}：权限不足（它是可执行程序吗？）',
  },
  pythonNotFound: {
    en: "the Python interpreter '{python}' was not found: install Python 3, or set the pythonBin setting to the interpreter to use",
    zh: "找不到 Python 解释器 '{python}'：请安装 Python 3，或在设置 pythonBin 中指定要使用的解释器",
  },
  pythonDoesNotRun: {
    en: "the Python interpreter '{python}' does not run: {reason}",
    zh: "Python 解释器 '{python}' 无法运行：{reason}",
  },
  pythonPackageMissing: {
    en: 'the plugin needs the Python package {modules}, which {python} cannot import: run {command} (or set pythonBin to an interpreter that has it)',
    zh: '该插件需要 Python 包 {modules}，而 {python} 无法导入它：请运行 {command}（或把 pythonBin 设为已安装它的解释器）',
  },
  pythonPackagesMissing: {
    en: 'the plugin needs the Python packages {modules}, which {python} cannot import: run {command} (or set pythonBin to an interpreter that has it)',
    zh: '该插件需要 Python 包 {modules}，而 {python} 无法导入它们：请运行 {command}（或把 pythonBin 设为已安装它们的解释器）',
  },
  functionAnswerTimeout: {
    en: 'time out waiting for function {symbol} to answer {call}',
    zh: '等待函数 {symbol} 应答 {call} 超时',
  },
  pluginAnswerTimeout: {
    en: "time out waiting for the plugin to answer '{command}' for {type} {symbol}",
    zh: "等待插件应答 {type} {symbol} 的 '{command}' 命令超时",
  },
  pluginCondaMissing: {
    en: "conda was not found on PATH: the plugin runs in the conda environment '{env}'",
    zh: "在 PATH 中找不到 conda：该插件运行在 conda 环境 '{env}' 中",
  },
  pluginSocketInUse: {
    en: '{socket} is in use by another program: is eKuiper or NeuronEX running with the plugin {name} on this machine? Plugins dial fixed socket names, so only one host can run a plugin at a time: stop the other one, then restart the plugin here',
    zh: '{socket} 正被另一个程序使用：这台机器上是否有 eKuiper 或 NeuronEX 正在运行插件 {name}？插件连接固定的套接字名称，所以同一时间只能有一个主机运行它：请停止另一个，再在这里重启插件',
  },
  noteStarting: { en: 'starting: {command}', zh: '正在启动：{command}' },
  noteRunning: { en: 'running as process {pid}', zh: '正在运行，进程号 {pid}' },
  noteRestarting: {
    en: 'restarting in {ms} ms (back-off after {failures} failure(s))',
    zh: '{ms} 毫秒后重启（已失败 {failures} 次，退避等待）',
  },
  noteStartFailed: { en: 'start failed: {reason}', zh: '启动失败：{reason}' },
  noteReplaying: { en: 'replaying {count} running symbol(s)', zh: '正在恢复 {count} 个运行中的符号' },
  endNotStarted: { en: 'could not be started: {reason}', zh: '无法启动：{reason}' },
  endNormally: { en: 'exited normally (status 0)', zh: '正常退出（状态码 0）' },
  endWithCode: { en: 'exited with code {code}', zh: '退出（退出码 {code}）' },
  noteProcessNotStarted: {
    en: 'process {pid} could not be started: {reason}',
    zh: '进程 {pid} 无法启动：{reason}',
  },
  noteProcessKilled: { en: 'process {pid} was killed by {signal}', zh: '进程 {pid} 被 {signal} 终止' },
  noteProcessExitedNormally: {
    en: 'process {pid} exited normally (status 0)',
    zh: '进程 {pid} 正常退出（状态码 0）',
  },
  noteProcessExitedCode: {
    en: 'process {pid} exited with code {code}',
    zh: '进程 {pid} 退出（退出码 {code}）',
  },
  pluginProcessEnded: { en: 'the plugin process {how}', zh: '插件进程{how}' },
  pluginProcessEndedOutput: {
    en: 'the plugin process {how}: {output}',
    zh: '插件进程{how}：{output}',
  },
  pluginEndedBeforeHandshake: {
    en: 'plugin {name} {how} before its handshake{stderr}',
    zh: '插件 {name} 在握手之前{how}{stderr}',
  },
  pluginEndedBeforeHandshakeHint: {
    en: 'plugin {name} {how} before its handshake: {hint}',
    zh: '插件 {name} 在握手之前{how}：{hint}',
  },
  pluginEndedBeforeHandshakeHintOutput: {
    en: 'plugin {name} {how} before its handshake: {hint}. Its error output: {stderr}',
    zh: '插件 {name} 在握手之前{how}：{hint}。它的错误输出：{stderr}',
  },
  pluginDialsOtherName: {
    en: "it dials /tmp/plugin_{dialled}.ipc, so the program calls itself '{dialled}': eKuiper's SDKs dial plugin_{name} with the name compiled into the program, so install it as '{dialled}' (with the symbol names it was built with)",
    zh: "它连接的是 /tmp/plugin_{dialled}.ipc，也就是说程序自称 '{dialled}'：eKuiper 的 SDK 用编译进程序的名称连接 plugin_{name}，因此请把它安装为 '{dialled}'（并使用构建时的符号名称）",
  },
  pluginWrongChannel: {
    en: "plugin {name} called the control channel of the installed plugin '{dialled}' instead of its own (/tmp/plugin_{name}.ipc): {hint}; '{dialled}' is installed already: to replace it, update that plugin instead",
    zh: "插件 {name} 连接的是已安装插件 '{dialled}' 的控制通道，而不是它自己的（/tmp/plugin_{name}.ipc）：{hint}；'{dialled}' 已经安装：若要替换它，请改为更新那个插件",
  },
  pluginStrayCaller: {
    en: "refused a second caller on {socket}: a program installed under another name dials this plugin's name",
    zh: '拒绝了 {socket} 上的第二个连接方：有一个以其他名称安装的程序在连接本插件的名称',
  },
  pluginStoppedWhileStarting: {
    en: 'plugin {name} was stopped while starting',
    zh: '插件 {name} 在启动过程中被停止',
  },
  pluginBadGreeting: {
    en: "the plugin's first message on the control channel was '{greeting}', not 'handshake'",
    zh: "插件在控制通道上的第一条消息是 '{greeting}'，而不是 'handshake'",
  },
  noteReplayFailed: {
    en: 'replay of {type} {symbol} failed: {reason}',
    zh: '恢复 {type} {symbol} 失败：{reason}',
  },

  // ---- installs: cancelled -------------------------------------------------------------------------
  installCancelledKept: {
    en: 'cancelled: the client went away before the plugin was in place; the installed version is kept',
    zh: '已取消：插件就位之前客户端已断开；已安装的版本保持不变',
  },
  installCancelledNothing: {
    en: 'cancelled: the client went away before the plugin was in place; nothing was installed',
    zh: '已取消：插件就位之前客户端已断开；没有安装任何内容',
  },

  // ---- servers: reaching them (describeNetworkError) -------------------------------------------------
  netNameNotFound: {
    en: 'the name {host} cannot be found: check the address for typing mistakes, and that this computer can resolve it (its DNS server or hosts file)',
    zh: '找不到名称 {host}：请检查地址是否拼错，以及这台电脑能否解析它（DNS 服务器或 hosts 文件）',
  },
  netNameNoAnswer: {
    en: "the name {host} cannot be found right now: the name server did not answer. Check this computer's network and DNS settings, or use the server's IP address",
    zh: '暂时无法解析名称 {host}：DNS 服务器没有应答。请检查这台电脑的网络和 DNS 设置，或改用服务器的 IP 地址',
  },
  netRefused: {
    en: "{where} refused the connection: nothing listens on port {port} there. Is the server running, and is the port right (eKuiper's REST API uses 9081, NeuronEX 8085)?",
    zh: '{where} 拒绝了连接：该机器的 {port} 端口上没有服务在监听。服务器是否在运行？端口是否正确（eKuiper 的 REST API 使用 9081，NeuronEX 使用 8085）？',
  },
  netWithin: { en: ' within {seconds} s', zh: '在 {seconds} 秒内' },
  netConnectTimeout: {
    en: '{where} did not accept a connection{within}: the server may be down or a firewall may drop the traffic',
    zh: '{where} {within}没有接受连接：服务器可能已停止运行，或防火墙丢弃了这些流量',
  },
  netNoAnswer: {
    en: "{where} accepted the connection but did not answer{within}: the server may be overloaded or not an HTTP server; a longer timeout in the server's settings may help",
    zh: '{where} 接受了连接，但{within}没有应答：服务器可能负载过高，或者不是 HTTP 服务器；在服务器设置中调大超时时间可能有帮助',
  },
  tlsWrongName: {
    en: "the server's certificate is not valid for the name {host}: use a name the certificate was issued for, or turn on skip verification in the server's TLS settings",
    zh: '服务器的证书对名称 {host} 无效：请使用证书签发时所用的名称，或在服务器的 TLS 设置中打开“跳过验证”',
  },
  tlsWrongNameNames: {
    en: "the server's certificate is not valid for the name {host} (it names {names}): use a name the certificate was issued for, or turn on skip verification in the server's TLS settings",
    zh: '服务器的证书对名称 {host} 无效（证书上的名称是 {names}）：请使用证书签发时所用的名称，或在服务器的 TLS 设置中打开“跳过验证”',
  },
  tlsSelfSigned: {
    en: "the server's certificate is self-signed, so this computer does not trust it: add the server's CA certificate (PEM) in the server's TLS settings, or turn on skip verification",
    zh: '服务器的证书是自签名的，这台电脑不信任它：请在服务器的 TLS 设置中添加服务器的 CA 证书（PEM），或打开“跳过验证”',
  },
  tlsSelfSignedChain: {
    en: "the server's certificate chains to a self-signed CA this computer does not trust: add the server's CA certificate (PEM) in the server's TLS settings, or turn on skip verification",
    zh: '服务器的证书链指向一个这台电脑不信任的自签名 CA：请在服务器的 TLS 设置中添加服务器的 CA 证书（PEM），或打开“跳过验证”',
  },
  tlsUnknownCa: {
    en: "the server's certificate is signed by a CA this computer does not know: add the server's CA certificate (PEM) in the server's TLS settings, or turn on skip verification",
    zh: '服务器的证书由这台电脑不认识的 CA 签发：请在服务器的 TLS 设置中添加服务器的 CA 证书（PEM），或打开“跳过验证”',
  },
  tlsExpired: {
    en: "the server's certificate has expired: renew it on the server, or turn on skip verification in the server's TLS settings",
    zh: '服务器的证书已过期：请在服务器上更新证书，或在服务器的 TLS 设置中打开“跳过验证”',
  },
  tlsNotYetValid: {
    en: "the server's certificate is not valid yet (check both machines' clocks), or turn on skip verification",
    zh: '服务器的证书尚未生效（请检查两台机器的时钟），或打开“跳过验证”',
  },
  tlsBadSignature: {
    en: "the server's certificate has a broken signature: add the server's CA certificate (PEM) in the server's TLS settings, or turn on skip verification",
    zh: '服务器证书的签名已损坏：请在服务器的 TLS 设置中添加服务器的 CA 证书（PEM），或打开“跳过验证”',
  },
  tlsRevoked: {
    en: "the server's certificate has been revoked: the server needs a new one",
    zh: '服务器的证书已被吊销：服务器需要一张新证书',
  },
  tlsInvalidCa: {
    en: "the CA certificate given for this server is not a CA: add the server's CA certificate (PEM) in the server's TLS settings, or turn on skip verification",
    zh: '为该服务器提供的 CA 证书并不是 CA 证书：请在服务器的 TLS 设置中添加服务器的 CA 证书（PEM），或打开“跳过验证”',
  },
  tlsNotSpoken: {
    en: '{where} does not speak TLS: if the server uses plain HTTP, write its address with http://',
    zh: '{where} 不支持 TLS：如果服务器使用普通 HTTP，请把地址写成 http:// 开头',
  },
  tlsFailed: {
    en: 'the TLS connection to {where} failed ({reason})',
    zh: '与 {where} 的 TLS 连接失败（{reason}）',
  },
  netClosed: {
    en: '{where} closed the connection without answering',
    zh: '{where} 没有应答就关闭了连接',
  },
  netClosedTryHttps: {
    en: '{where} closed the connection without answering: if the server uses TLS, write its address with https://',
    zh: '{where} 没有应答就关闭了连接：如果服务器使用 TLS，请把地址写成 https:// 开头',
  },
  netUnreachable: {
    en: '{host} cannot be reached from this computer (no route to it): check the network between them',
    zh: '从这台电脑无法访问 {host}（没有通往它的路由）：请检查两者之间的网络',
  },
  netNotHttp: {
    en: '{where} answered with something that is not HTTP: is the port right (eKuiper 9081, NeuronEX 8085)?',
    zh: '{where} 的应答不是 HTTP：端口是否正确（eKuiper 为 9081，NeuronEX 为 8085）？',
  },
  netCancelled: { en: 'the request to {where} was cancelled', zh: '发往 {where} 的请求已取消' },
  netOther: {
    en: '{where} could not be reached: {reason}',
    zh: '无法访问 {where}：{reason}',
  },

  // ---- servers: the connection check -------------------------------------------------------------------
  uptimeDays: { en: 'up {days} d {hours} h', zh: '已运行 {days} 天 {hours} 小时' },
  uptimeHours: { en: 'up {hours} h {minutes} min', zh: '已运行 {hours} 小时 {minutes} 分钟' },
  uptimeMinutes: { en: 'up {minutes} min', zh: '已运行 {minutes} 分钟' },
  uptimeSeconds: { en: 'up {seconds} s', zh: '已运行 {seconds} 秒' },
  checkOkEkuiper: {
    en: 'eKuiper {version} on {os}/{arch}; answered in {ms} ms',
    zh: 'eKuiper {version}，运行于 {os}/{arch}；{ms} 毫秒内应答',
  },
  checkOkEkuiperUp: {
    en: 'eKuiper {version} on {os}/{arch}, {uptime}; answered in {ms} ms',
    zh: 'eKuiper {version}，运行于 {os}/{arch}，{uptime}；{ms} 毫秒内应答',
  },
  checkOkNeuronex: {
    en: 'NeuronEX {neuronex} with eKuiper {version} on {os}/{arch}; answered in {ms} ms',
    zh: 'NeuronEX {neuronex}（内含 eKuiper {version}），运行于 {os}/{arch}；{ms} 毫秒内应答',
  },
  checkOkNeuronexUp: {
    en: 'NeuronEX {neuronex} with eKuiper {version} on {os}/{arch}, {uptime}; answered in {ms} ms',
    zh: 'NeuronEX {neuronex}（内含 eKuiper {version}），运行于 {os}/{arch}，{uptime}；{ms} 毫秒内应答',
  },
  checkViewer: {
    en: '{summary}. The account is a NeuronEX Viewer: it may only read, so installs, updates and deletes will be refused',
    zh: '{summary}。该账号是 NeuronEX 的 Viewer（只读）角色：只能读取，安装、更新和删除都会被拒绝',
  },
  checkViewerUser: {
    en: '{summary}. The account {user} is a NeuronEX Viewer: it may only read, so installs, updates and deletes will be refused',
    zh: '{summary}。账号 {user} 是 NeuronEX 的 Viewer（只读）角色：只能读取，安装、更新和删除都会被拒绝',
  },
  checkLocal: {
    en: "This computer: the app's own host, eKuiper {version} API on {os}/{arch}",
    zh: '这台电脑：本应用自带的主机，提供 eKuiper {version} API，运行于 {os}/{arch}',
  },
  checkIsEkuiper: {
    en: "{url} is eKuiper itself, not NeuronEX (its root answers eKuiper's version): choose the kind eKuiper",
    zh: '{url} 是 eKuiper 本身，而不是 NeuronEX（它的根路径返回 eKuiper 的版本）：请选择类型 eKuiper',
  },
  checkNeuronexNeedsLogin: {
    en: 'NeuronEX requires a login: choose NeuronEX login and give its user name and password',
    zh: 'NeuronEX 需要登录：请选择“NeuronEX 登录”，并填写用户名和密码',
  },
  checkNeuronexTokenRefused: {
    en: 'NeuronEX refused the login token even after logging in again',
    zh: '即使重新登录后，NeuronEX 仍拒绝了登录令牌',
  },
  checkQuote: { en: ': "{words}"', zh: '，服务器答复“{words}”' },
  checkRefusedCredentials: {
    en: 'the server refused the credentials ({status} on GET {where}){quoted}',
    zh: '服务器拒绝了凭据（GET {where} 返回 {status}）{quoted}',
  },
  checkRefused401: {
    en: 'the server refused the credentials (401 on {where}){quoted}',
    zh: '服务器拒绝了凭据（{where} 返回 401）{quoted}',
  },
  checkRefused401Hint: {
    en: 'the server refused the credentials (401 on {where}){quoted}. {hint}',
    zh: '服务器拒绝了凭据（{where} 返回 401）{quoted}。{hint}',
  },
  checkRefused403: {
    en: 'the server refused access (403 on {where}){quoted}',
    zh: '服务器拒绝了访问（{where} 返回 403）{quoted}',
  },
  checkNoPluginApi: {
    en: 'the server tells its version but has neither a plugin nor a rule API (404 on {where})',
    zh: '服务器返回了版本，但既没有插件 API 也没有规则 API（{where} 返回 404）',
  },
  checkAnsweredOn: {
    en: 'the server answered {status} on {where}',
    zh: '服务器对 {where} 返回了 {status}',
  },
  checkAnsweredOnWords: {
    en: 'the server answered {status} on {where}: "{words}"',
    zh: '服务器对 {where} 返回了 {status}：“{words}”',
  },
  checkAnswered: { en: '{where} answered {status}', zh: '{where} 返回了 {status}' },
  checkAnsweredWords: {
    en: '{where} answered {status}: "{words}"',
    zh: '{where} 返回了 {status}：“{words}”',
  },
  checkNot404: {
    en: "{where} answered 404 where eKuiper tells its version: this address is not eKuiper's REST API{kindHint}",
    zh: '{where} 在 eKuiper 返回版本的位置返回了 404：这个地址不是 eKuiper 的 REST API{kindHint}',
  },
  checkNotWebPage: {
    en: "{where} answered with a web page, not eKuiper's version information: this address is not eKuiper's REST API{kindHint}",
    zh: '{where} 返回的是一个网页，而不是 eKuiper 的版本信息：这个地址不是 eKuiper 的 REST API{kindHint}',
  },
  checkNotInfo: {
    en: "{where} answered with something that is not eKuiper's version information: this address is not eKuiper's REST API{kindHint}",
    zh: '{where} 返回的不是 eKuiper 的版本信息：这个地址不是 eKuiper 的 REST API{kindHint}',
  },
  checkKindHintEkuiper: {
    en: " (eKuiper's REST API usually listens on port 9081; for NeuronEX choose the kind NeuronEX)",
    zh: '（eKuiper 的 REST API 通常监听 9081 端口；若是 NeuronEX，请选择类型 NeuronEX）',
  },
  checkKindHintNeuronex: {
    en: ' (NeuronEX usually listens on port 8085)',
    zh: '（NeuronEX 通常监听 8085 端口）',
  },
  authHintNoCredentials: {
    en: "The server requires credentials (eKuiper's basic.authentication is on): choose eKuiper JWT with the private key and, as issuer, the file name of the matching public key in the server's etc/mgmt",
    zh: '服务器需要凭据（eKuiper 的 basic.authentication 已开启）：请选择“eKuiper JWT”，填写私钥，并把服务器 etc/mgmt 中对应公钥的文件名填作签发者（issuer）',
  },
  authHintDropped: {
    en: 'The credentials did not reach the server: a proxy in between may drop the Authorization header',
    zh: '凭据没有到达服务器：中间的代理可能丢弃了 Authorization 请求头',
  },
  authHintNoBearer: {
    en: "eKuiper expects its own JWT sent without 'Bearer': choose eKuiper JWT",
    zh: "eKuiper 要求发送不带 'Bearer' 的自有 JWT：请选择“eKuiper JWT”",
  },
  authHintIssuer: {
    en: "The issuer must be the file name of the public key in the server's etc/mgmt folder",
    zh: '签发者（issuer）必须是服务器 etc/mgmt 目录中公钥的文件名',
  },
  authHintKeyMismatch: {
    en: 'The private key does not match the public key the issuer names on the server',
    zh: '私钥与服务器上签发者（issuer）所指的公钥不匹配',
  },
  authHintClock: {
    en: "This computer's clock and the server's differ by minutes: set both clocks right",
    zh: '这台电脑与服务器的时钟相差数分钟：请把两边的时钟都校准',
  },

  // ---- servers: credentials -----------------------------------------------------------------------------
  secretMissingPrivateKey: {
    en: 'no private key is stored for this server (its secrets may have been lost or sealed by another program): edit the server and give the private key again',
    zh: '没有为该服务器保存私钥（它的密钥信息可能已丢失，或被另一个程序加密封存）：请编辑该服务器，重新填写私钥',
  },
  secretMissingPassword: {
    en: 'no password is stored for this server (its secrets may have been lost or sealed by another program): edit the server and give the password again',
    zh: '没有为该服务器保存密码（它的密钥信息可能已丢失，或被另一个程序加密封存）：请编辑该服务器，重新填写密码',
  },
  secretMissingToken: {
    en: 'no token is stored for this server (its secrets may have been lost or sealed by another program): edit the server and give the token again',
    zh: '没有为该服务器保存令牌（它的密钥信息可能已丢失，或被另一个程序加密封存）：请编辑该服务器，重新填写令牌',
  },
  keyPassphrase: {
    en: 'the private key is protected by a passphrase; give it without one (openssl rsa -in ekuiper-jwt.key -out ekuiper-jwt-plain.key)',
    zh: '私钥设有口令保护；请提供不带口令的私钥（openssl rsa -in ekuiper-jwt.key -out ekuiper-jwt-plain.key）',
  },
  keyIsEc: {
    en: 'the private key is an EC key; eKuiper verifies tokens with RSA keys only (make one with {command})',
    zh: '该私钥是 EC 密钥；eKuiper 只用 RSA 密钥验证令牌（可用 {command} 生成一个）',
  },
  keyNotRsa: {
    en: 'the private key is a {type} key; eKuiper verifies tokens with RSA keys only (make one with {command})',
    zh: '该私钥是 {type} 密钥；eKuiper 只用 RSA 密钥验证令牌（可用 {command} 生成一个）',
  },
  keyTooShort: {
    en: 'the RSA key has {bits} bits; RS256 tokens need a key of at least 2048 bits (make one with {command})',
    zh: '该 RSA 密钥只有 {bits} 位；RS256 令牌需要至少 2048 位的密钥（可用 {command} 生成一个）',
  },
  keyUnreadable: {
    en: 'the private key cannot be read as an RSA private key in PEM form ({reason}); give the whole file, from -----BEGIN to -----END, such as one made by {command}',
    zh: '无法把该私钥读取为 PEM 格式的 RSA 私钥（{reason}）；请提供完整文件，从 -----BEGIN 到 -----END，例如用 {command} 生成的文件',
  },
  keyUnusable: {
    en: 'the private key cannot be used for {algorithm} tokens: {reason}',
    zh: '该私钥不能用于 {algorithm} 令牌：{reason}',
  },
  loginNoToken: {
    en: "NeuronEX's login at {path} answered without a token",
    zh: 'NeuronEX 的登录接口 {path} 应答了，但没有返回令牌',
  },
  loginRefused: {
    en: 'NeuronEX refused the user name or password of {user} ({status} on {path}); check them (a new NeuronEX has admin with password 0000)',
    zh: 'NeuronEX 拒绝了 {user} 的用户名或密码（{path} 返回 {status}）；请检查它们（新装的 NeuronEX 用户为 admin，密码为 0000）',
  },
  loginNoRoute: {
    en: 'there is no {path} on this server (404): is it NeuronEX? For an eKuiper server choose the kind eKuiper',
    zh: '该服务器上没有 {path}（404）：它是 NeuronEX 吗？若是 eKuiper 服务器，请选择类型 eKuiper',
  },
  loginAnswered: {
    en: "NeuronEX's login at {path} answered {status}",
    zh: 'NeuronEX 的登录接口 {path} 返回了 {status}',
  },
  loginAnsweredWords: {
    en: "NeuronEX's login at {path} answered {status}: {words}",
    zh: 'NeuronEX 的登录接口 {path} 返回了 {status}：{words}',
  },
  loginFailed: {
    en: "NeuronEX's login at {path} did not succeed",
    zh: 'NeuronEX 的登录接口 {path} 登录未成功',
  },

  // ---- servers: forwarding and the fleet ----------------------------------------------------------------
  forwardNoAnswer: {
    en: "server '{name}' ({url}) did not answer: {reason}",
    zh: "服务器 '{name}'（{url}）没有应答：{reason}",
  },
  serverFailed: { en: "server '{name}': {reason}", zh: "服务器 '{name}'：{reason}" },
  forwardInvalidPath: {
    en: "invalid path {path}: {problem}. Only eKuiper API paths under the server's API base are forwarded",
    zh: '路径 {path} 无效：{problem}。只转发服务器 API 根路径下的 eKuiper API 路径',
  },
  forwardNoServer: {
    en: "no server has the id '{id}' (GET /manager/servers lists the servers and their ids)",
    zh: "没有 id 为 '{id}' 的服务器（GET /manager/servers 会列出所有服务器及其 id）",
  },
  fleetNoServer: { en: "no server has the id '{id}'", zh: "没有 id 为 '{id}' 的服务器" },
  fleetServerGone: {
    en: "no server has the id '{id}' any more",
    zh: "id 为 '{id}' 的服务器已不存在",
  },
  fleetSkipReadOnly: {
    en: 'skipped: the account may only read ({role}, per the last connection check), so the server would refuse the {action}',
    zh: '已跳过：该账号只能读取（{role}，依据上次连接检查），服务器会拒绝 {action} 操作',
  },
  fleetSkipped: { en: 'skipped: {reason}', zh: '已跳过：{reason}' },
  fleetVersion: { en: 'version {version}', zh: '版本 {version}' },
  fleetNoVersion: { en: 'no version', zh: '无版本' },
  fleetWillInstall: {
    en: 'will install {kind} plugin {name}',
    zh: '将安装 {kind} 插件 {name}',
  },
  fleetWillInstallFrom: {
    en: 'will install {kind} plugin {name} ({from})',
    zh: '将安装 {kind} 插件 {name}（{from}）',
  },
  fleetAlreadyInstalled: {
    en: 'skipped: {kind} plugin {name} is already installed ({version}); use update to replace it',
    zh: '已跳过：{kind} 插件 {name} 已安装（{version}）；要替换它请使用更新',
  },
  fleetWillUpdate: {
    en: 'will update {kind} plugin {name} (installed: {installed}; new: {next})',
    zh: '将更新 {kind} 插件 {name}（已安装：{installed}；新：{next}）',
  },
  fleetUpdateInstalls: {
    en: '{kind} plugin {name} is not installed: the update will install it',
    zh: '{kind} 插件 {name} 未安装：更新操作将安装它',
  },
  fleetUpdateInstallsFrom: {
    en: '{kind} plugin {name} is not installed: the update will install it ({from})',
    zh: '{kind} 插件 {name} 未安装：更新操作将安装它（{from}）',
  },
  fleetNothingToUpdate: {
    en: 'skipped: {kind} plugin {name} is not installed, so there is nothing to update; use install',
    zh: '已跳过：{kind} 插件 {name} 未安装，没有可更新的内容；请使用安装',
  },
  fleetNothingToDelete: {
    en: 'skipped: {kind} plugin {name} is not installed, so there is nothing to delete',
    zh: '已跳过：{kind} 插件 {name} 未安装，没有可删除的内容',
  },
  fleetWillDelete: {
    en: 'will delete {kind} plugin {name} (installed: {installed})',
    zh: '将删除 {kind} 插件 {name}（已安装：{installed}）',
  },
  fleetNoPrebuilt: {
    en: 'the server offers no prebuilt {kind} plugin named {name}',
    zh: '该服务器没有名为 {name} 的预编译 {kind} 插件',
  },
  fleetNoPrebuiltOffers: {
    en: 'the server offers no prebuilt {kind} plugin named {name} (it offers {offered})',
    zh: '该服务器没有名为 {name} 的预编译 {kind} 插件（它提供的是 {offered}）',
  },
  fleetUploadRefused: {
    en: 'the upload of the zip was refused: {reason}',
    zh: 'zip 上传被拒绝：{reason}',
  },
  // fleet-audit (session 18)
  fleetUploadFailed: {
    en: 'the upload of the zip failed: {reason}',
    zh: 'zip 上传失败：{reason}',
  },
  fleetWebPage: {
    en: "the server answered {request} with a web page, not eKuiper's answer: its address is not eKuiper's REST API (eKuiper usually listens on port 9081; a NeuronEX, on 8085, needs the kind NeuronEX)",
    zh: '服务器对 {request} 返回的是一个网页，而不是 eKuiper 的应答：它的地址不是 eKuiper 的 REST API（eKuiper 通常监听 9081 端口；NeuronEX 在 8085 端口，需选择类型 NeuronEX）',
  },
  fleetNotJson: {
    en: 'the server answered {request} with something other than eKuiper\'s JSON: "{words}"',
    zh: '服务器对 {request} 返回的不是 eKuiper 的 JSON：“{words}”',
  },
  fleetInventoryNotJson: {
    en: "the server's plugin lists are not eKuiper's JSON ({problem}): its address is not eKuiper's REST API (eKuiper usually listens on port 9081; a NeuronEX, on 8085, needs the kind NeuronEX)",
    zh: '服务器的插件列表不是 eKuiper 的 JSON（{problem}）：它的地址不是 eKuiper 的 REST API（eKuiper 通常监听 9081 端口；NeuronEX 在 8085 端口，需选择类型 NeuronEX）',
  },
  fleetUploadNoPath: {
    en: 'the server answered the upload with something other than the path it saved the zip at: "{words}"',
    zh: '服务器对上传的应答不是它保存 zip 的路径：“{words}”',
  },
  fleetNotStarted: {
    en: "not started: the caller went away before this server's turn (run the action again for it)",
    zh: '未开始：轮到该服务器之前调用方已断开（请对它重新执行该操作）',
  },
  fleetNoPluginRoutes: {
    en: "the server answered 404 to every plugin list ({paths}): its address is not eKuiper's REST API, or this eKuiper was built without plugin support (eKuiper usually listens on port 9081; a NeuronEX, on 8085, needs the kind NeuronEX)",
    zh: '服务器对每个插件列表（{paths}）都返回 404：它的地址不是 eKuiper 的 REST API，或者这个 eKuiper 构建时未带插件支持（eKuiper 通常监听 9081 端口；NeuronEX 在 8085 端口，需选择类型 NeuronEX）',
  },
  // end of fleet-audit (session 18)
  fleetUploadNotRemoved: {
    en: '{message} (the uploaded zip {upload} could not be removed: {problem})',
    zh: '{message}（上传的 zip {upload} 无法删除：{problem}）',
  },
  fleetZipRejected: {
    en: '{file} cannot be installed as {kind} plugin {name}, so no server was asked: {problem}',
    zh: '{file} 不能作为 {kind} 插件 {name} 安装，因此没有向任何服务器发出请求：{problem}',
  },

  // ---- settings ------------------------------------------------------------------------------------
  settingWholeNumber: {
    en: 'must be a whole number from {min} to {max}',
    zh: '必须是 {min} 到 {max} 之间的整数',
  },
  settingMillisecondsDay: {
    en: 'must be a whole number from {min} to {max} milliseconds (at most a day)',
    zh: '必须是 {min} 到 {max} 之间的毫秒数（最多一天）',
  },
  settingMillisecondsTenMinutes: {
    en: 'must be a whole number from {min} to {max} milliseconds (at most 10 minutes)',
    zh: '必须是 {min} 到 {max} 之间的毫秒数（最多 10 分钟）',
  },
  settingBytes: {
    en: 'must be a whole number from {min} to {max} bytes',
    zh: '必须是 {min} 到 {max} 之间的字节数',
  },
  settingPort: {
    en: 'must be a whole number from {min} to {max} (0 picks a free port)',
    zh: '必须是 {min} 到 {max} 之间的整数（0 表示自动选择空闲端口）',
  },
  settingBoolean: { en: 'must be true or false', zh: '必须是 true 或 false' },
  settingBindAddress: {
    en: 'must be an IP address or host name to bind to, such as 127.0.0.1',
    zh: '必须是要绑定的 IP 地址或主机名，例如 127.0.0.1',
  },
  settingAbsoluteFolder: { en: 'must be an absolute folder path', zh: '必须是绝对目录路径' },
  settingTokenType: {
    en: 'must be a string (empty for no token)',
    zh: '必须是字符串（留空表示不使用令牌）',
  },
  settingTokenCharacters: {
    en: 'must not contain spaces or control characters',
    zh: '不能包含空格或控制字符',
  },
  settingStringList: { en: 'must be a list of strings', zh: '必须是字符串列表' },
  settingNotOrigin: {
    en: "holds '{item}', which is not an origin such as http://localhost:3000 (scheme, host and port only)",
    zh: "包含 '{item}'，它不是来源（origin），例如 http://localhost:3000（只含协议、主机和端口）",
  },
  settingNotHostName: {
    en: "holds '{item}', which is not a host name",
    zh: "包含 '{item}'，它不是主机名",
  },
  settingPluginHostsType: {
    en: 'must be a string of comma-separated URLs',
    zh: '必须是以逗号分隔的 URL 字符串',
  },
  settingPluginHostsEmpty: {
    en: 'must name at least one http(s) URL, such as https://packages.emqx.io',
    zh: '至少要有一个 http(s) URL，例如 https://packages.emqx.io',
  },
  settingNotHttpUrl: {
    en: "holds '{item}', which is not an http(s) URL",
    zh: "包含 '{item}'，它不是 http(s) URL",
  },
  settingVersion: {
    en: 'must be an eKuiper version such as 2.1.0',
    zh: '必须是 eKuiper 版本号，例如 2.1.0',
  },
  settingOneOf: { en: 'must be one of {choices}', zh: '必须是以下之一：{choices}' },
  settingArch: { en: 'must be auto or one of {choices}', zh: '必须是 auto 或以下之一：{choices}' },
  settingPython: {
    en: 'must name a Python interpreter, such as python3 or /usr/bin/python3',
    zh: '必须是一个 Python 解释器，例如 python3 或 /usr/bin/python3',
  },
  settingNotObject: {
    en: 'the body must be a JSON object of settings to change',
    zh: '请求体必须是一个列出要修改设置的 JSON 对象',
  },
  settingTokenSetReadOnly: {
    en: 'tokenSet cannot be set: send "token" (an empty string removes it)',
    zh: 'tokenSet 不能设置：请发送 "token"（空字符串表示移除令牌）',
  },
  settingUnknown: {
    en: "unknown setting '{key}' (known: {known})",
    zh: "未知设置 '{key}'（已知设置：{known}）",
  },
  settingNeedsToken: {
    en: 'restHost {host} is not a loopback address, so a token is required: anyone on the network could otherwise install plugins that run on this machine',
    zh: 'restHost {host} 不是回环地址，因此必须设置令牌：否则网络上的任何人都能安装在这台机器上运行的插件',
  },
  // ---- JavaScript functions (the sandbox) --------------------------------------------------------------
  jsScriptTimedOut: {
    en: 'the script ran longer than {ms} ms and was stopped (an endless loop?); eKuiper has no such limit and would hang the rule',
    zh: '脚本运行超过 {ms} 毫秒，已被停止（死循环？）；eKuiper 没有这个限制，规则会卡住',
  },
  jsScriptOutOfMemory: {
    en: 'the script needed more than {mb} MB of memory and was stopped',
    zh: '脚本需要超过 {mb} MB 内存，已被停止',
  },
  jsScriptStackOverflow: {
    en: 'the script recursed too deeply (stack overflow) and was stopped',
    zh: '脚本递归过深（栈溢出），已被停止',
  },
  jsSandboxEnded: {
    en: 'the script did not stop within {seconds} s and its sandbox was ended (a loop that allocates near the memory limit can do this)',
    zh: '脚本在 {seconds} 秒内没有停止，其沙箱已被结束（在内存上限附近不断分配内存的循环会这样）',
  },
  jsAggregateArgument: {
    en: 'aggregate function {id} takes each argument as an array of values (one per row): argument {index} is not an array',
    zh: '聚合函数 {id} 的每个参数都是一个值数组（每行一个值）：第 {index} 个参数不是数组',
  },
  jsCallBody: {
    en: 'the body must be a JSON object whose "args" is the array of arguments',
    zh: '请求体必须是 JSON 对象，其 "args" 为参数数组',
  },

  // ---- ext-fleet: JavaScript functions and services on every server, export and import --------------------
  extensionWhatJavascript: { en: 'JavaScript function', zh: 'JavaScript 函数' },
  extensionWhatService: { en: 'service', zh: '服务' },
  extensionFleetFunctionCount: { en: '{count} JavaScript functions', zh: '{count} 个 JavaScript 函数' },
  extensionFleetServiceCount: { en: '{count} services', zh: '{count} 个服务' },
  extensionFleetNoJavascript: {
    en: "not available: this server's eKuiper has no JavaScript functions (GET /udf/javascript answered 404; builds without the script tag lack them)",
    zh: '不可用：该服务器的 eKuiper 没有 JavaScript 函数（GET /udf/javascript 返回 404；未带 script 标签构建的版本没有此功能）',
  },
  extensionFleetNoServices: {
    en: "not available: this server's eKuiper has no external services (GET /services answered 404; core-only builds lack them)",
    zh: '不可用：该服务器的 eKuiper 没有外部服务（GET /services 返回 404；仅含核心功能的构建没有此功能）',
  },
  extensionSkipUnavailable: {
    en: "skipped: {what} '{name}' cannot be there, this server's eKuiper has no such routes ({path} answered 404)",
    zh: '已跳过：{what} {name} 无法放到这里，该服务器的 eKuiper 没有这些接口（{path} 返回 404）',
  },
  extensionSame: { en: 'the same content', zh: '内容相同' },
  extensionDiffers: { en: 'different content', zh: '内容不同' },
  extensionWillCreate: { en: "will create {what} '{name}'", zh: '将创建{what} {name}' },
  extensionAlreadyThere: {
    en: "skipped: {what} '{name}' is already there; use update to replace it",
    zh: '已跳过：{what} {name} 已存在；要替换它请使用更新',
  },
  extensionAlreadyThereCompared: {
    en: "skipped: {what} '{name}' is already there with {same}; use update to replace it",
    zh: '已跳过：{what} {name} 已存在，{same}；要替换它请使用更新',
  },
  extensionWillReplace: { en: "will replace {what} '{name}'", zh: '将替换{what} {name}' },
  extensionWillReplaceCompared: {
    en: "will replace {what} '{name}', which is there with {same}",
    zh: '将替换{what} {name}（现有的{same}）',
  },
  extensionUpdateCreates: {
    en: "{what} '{name}' is not there: the update will create it",
    zh: '{what} {name} 不存在：更新操作将创建它',
  },
  extensionNothingToDelete: {
    en: "skipped: {what} '{name}' is not there, so there is nothing to delete",
    zh: '已跳过：{what} {name} 不存在，没有可删除的内容',
  },
  extensionWillDelete: { en: "will delete {what} '{name}'", zh: '将删除{what} {name}' },
  serviceZipRejected: {
    en: '{file} cannot be created as service {name}, so no server was asked: {problem}',
    zh: '{file} 不能作为服务 {name} 创建，因此没有向任何服务器发出请求：{problem}',
  },
  serviceZipNoDescriptor: {
    en: 'the zip has no {name}.json at its root; a service zip holds its descriptor {name}.json and a schemas/ folder for its .proto files',
    zh: 'zip 根目录下没有 {name}.json；服务 zip 包含描述文件 {name}.json，以及存放 .proto 文件的 schemas/ 文件夹',
  },
  serviceZipBadDescriptor: {
    en: '{name}.json is not a service descriptor: {problem}',
    zh: '{name}.json 不是服务描述文件：{problem}',
  },
  serviceZipNotZip: { en: 'the file is not a zip: {problem}', zh: '该文件不是 zip：{problem}' },
  exportInstallFileUnreadable: {
    en: 'its install file {file} could not be read from this computer: {reason}',
    zh: '无法从本机读取其安装文件 {file}：{reason}',
  },
  exportNoInstallFile: {
    en: "the server does not say which file it was created from (it has no /data/export), and its .proto schemas cannot be read through eKuiper's API",
    zh: '服务器没有说明它是从哪个文件创建的（它没有 /data/export），且无法通过 eKuiper 的 API 读取其 .proto 文件',
  },
  importBadFile: { en: 'invalid import file: {problem}', zh: '导入文件无效：{problem}' },
  importNotJson: { en: 'it is not JSON ({problem})', zh: '它不是 JSON（{problem}）' },
  importNothing: {
    en: 'it has neither "scripts" nor "Service", so it is not an eKuiper export of JavaScript functions or services',
    zh: '它既没有 "scripts" 也没有 "Service"，因此不是 eKuiper 导出的 JavaScript 函数或服务',
  },
  importNotMap: {
    en: '"{key}" must map names to JSON texts, as eKuiper\'s /data/export writes it',
    zh: '"{key}" 必须把名称映射到 JSON 文本，与 eKuiper 的 /data/export 写法一致',
  },
  importBadEntry: {
    en: "the entry is not what eKuiper's export holds for a {what}: {problem}",
    zh: '该条目不是 eKuiper 导出文件中{what}应有的内容：{problem}',
  },
  importZipMismatch: {
    en: 'the embedded zip of service {name} is damaged (its sha256 does not match)',
    zh: '服务 {name} 内嵌的 zip 已损坏（sha256 不匹配）',
  },
  importUnavailable: {
    en: "not imported: this server's eKuiper has no {what} routes ({path} answered 404)",
    zh: '未导入：该服务器的 eKuiper 没有{what}接口（{path} 返回 404）',
  },
  importWillReplace: {
    en: "will replace {what} '{name}', which is already there",
    zh: '将替换已存在的{what} {name}',
  },
  importFromInstallFile: {
    en: '{message} (no zip in the file: the server reads {file} itself)',
    zh: '{message}（文件中没有 zip：服务器会自行读取 {file}）',
  },
  // ---- external services (/services): descriptor, schemas, zip, function names -------------------------
  functionIsService: {
    en: "the external service '{service}' provides it (GET /services/functions/{name}). Function names are global; rename the new function or delete that service first",
    zh: "外部服务 '{service}' 已提供该函数（GET /services/functions/{name}）。函数名称是全局的；请重命名新函数或先删除那个服务",
  },
  serviceDescriptorNotObject: {
    en: 'the descriptor must be a JSON object whose "interfaces" maps each interface name to its "address", "protocol", "schemaType" and "schemaFile"',
    zh: '描述文件必须是 JSON 对象，其 "interfaces" 把每个接口名映射到它的 "address"、"protocol"、"schemaType" 和 "schemaFile"',
  },
  serviceNoInterfaces: {
    en: 'the descriptor declares no interfaces: add at least one under "interfaces", such as a REST interface with "address": "http://127.0.0.1:8080", "protocol": "rest" and "schemaless": true',
    zh: '描述文件没有声明任何接口：请在 "interfaces" 下至少添加一个，例如 "address": "http://127.0.0.1:8080"、"protocol": "rest"、"schemaless": true 的 REST 接口',
  },
  serviceFieldType: {
    en: '{field} has the wrong type: it must be of type {type}',
    zh: '{field} 类型错误：必须是 {type} 类型',
  },
  serviceProtocolUnknown: {
    en: 'protocol "{protocol}" is not supported: use "rest", "grpc" or "msgpack-rpc"',
    zh: '不支持协议 "{protocol}"：请使用 "rest"、"grpc" 或 "msgpack-rpc"',
  },
  serviceAddressRest: {
    en: 'address "{address}" does not suit a rest interface: it needs http:// or https:// and a host, such as http://127.0.0.1:8080 (a base path may follow)',
    zh: '地址 "{address}" 不适用于 rest 接口：需要 http:// 或 https:// 及主机，例如 http://127.0.0.1:8080（其后可带基础路径）',
  },
  serviceAddressTcp: {
    en: 'address "{address}" does not suit a {protocol} interface: it needs tcp://host:port, such as tcp://127.0.0.1:50051, with no path',
    zh: '地址 "{address}" 不适用于 {protocol} 接口：需要 tcp://主机:端口，例如 tcp://127.0.0.1:50051，且不带路径',
  },
  serviceSchemaTypeMissing: {
    en: 'set "schemaType": "protobuf" with a "schemaFile", or "schemaless": true for a REST interface without a proto',
    zh: '请设置 "schemaType": "protobuf" 并给出 "schemaFile"，或为不带 proto 的 REST 接口设置 "schemaless": true',
  },
  serviceSchemalessRestOnly: {
    en: 'a schemaless interface must use protocol "rest" (eKuiper calls it as iface("post", "/path", args…)); "{protocol}" needs a proto schema',
    zh: '无模式（schemaless）接口必须使用 "rest" 协议（eKuiper 以 iface("post", "/path", args…) 调用它）；"{protocol}" 需要 proto 模式文件',
  },
  serviceFunctionNameInvalid: {
    en: 'function name {name} cannot be used in SQL: {problem}',
    zh: '函数名称 {name} 无法在 SQL 中使用：{problem}',
  },
  serviceSchemaFileMissing: {
    en: 'schemaType "protobuf" needs a "schemaFile": the .proto file\'s path inside the zip\'s schemas/ folder, such as "hw.proto"',
    zh: 'schemaType "protobuf" 需要 "schemaFile"：即 .proto 文件在 zip 的 schemas/ 目录中的路径，例如 "hw.proto"',
  },
  serviceSchemaFileOutside: {
    en: 'schemaFile "{file}" must be a relative path inside the schemas/ folder, such as "hw.proto"',
    zh: 'schemaFile "{file}" 必须是 schemas/ 目录内的相对路径，例如 "hw.proto"',
  },
  serviceAliasSchemaless: {
    en: 'a schemaless interface has no rpcs to rename: remove "functions"; its SQL function is the interface name',
    zh: '无模式（schemaless）接口没有可重命名的 rpc：请删除 "functions"；它的 SQL 函数名就是接口名',
  },
  serviceAliasIncomplete: {
    en: 'every entry of "functions" needs "name" (the SQL function) and "serviceName" (the rpc it calls)',
    zh: '"functions" 的每一项都需要 "name"（SQL 函数名）和 "serviceName"（调用的 rpc）',
  },
  serviceAliasUnknownRpc: {
    en: 'the function {alias} aliases the rpc {rpc}, which {file} does not define; its rpcs are: {rpcs}',
    zh: '函数 {alias} 是 rpc {rpc} 的别名，但 {file} 没有定义该 rpc；它的 rpc 有：{rpcs}',
  },
  serviceFunctionTwice: {
    en: 'function name {name} is provided twice by this service (interfaces {first} and {second}): give one of them another name with a "functions" alias',
    zh: '该服务两次提供函数名称 {name}（接口 {first} 和 {second}）：请用 "functions" 别名为其中一个改名',
  },
  serviceSchemaFileNotInZip: {
    en: "the zip has no schemas/{file}: put the .proto file in the zip's schemas/ folder",
    zh: 'zip 中没有 schemas/{file}：请把 .proto 文件放进 zip 的 schemas/ 目录',
  },
  serviceProtoNoRpc: {
    en: '{file} declares no service with an rpc, so the interface would have no functions',
    zh: '{file} 没有声明含 rpc 的 service，该接口将没有任何函数',
  },
  serviceImportOutside: {
    en: 'import "{file}" leaves the schemas/ folder: imports are paths inside it, such as "common/types.proto"',
    zh: 'import "{file}" 超出了 schemas/ 目录：import 路径须位于该目录内，例如 "common/types.proto"',
  },
  serviceImportMissing: {
    en: 'import "{file}" is not in the zip: put it at schemas/{file} (google/protobuf/* and google/api/annotations.proto are built in)',
    zh: 'zip 中没有 import 的 "{file}"：请放在 schemas/{file}（google/protobuf/* 和 google/api/annotations.proto 已内置）',
  },
  serviceProtoTooLarge: {
    en: '{file} is {bytes} bytes; schema files can be at most 4 MiB',
    zh: '{file} 有 {bytes} 字节；模式文件最多 4 MiB',
  },
  serviceHttpRuleNoVerb: {
    en: 'the google.api.http rule of rpc {rpc} names no method: set one of get, put, post, delete or patch to a path',
    zh: 'rpc {rpc} 的 google.api.http 规则没有指定方法：请把 get、put、post、delete 或 patch 之一设为路径',
  },
  serviceExtraDescriptor: {
    en: 'the zip has another descriptor at its root ({file}); eKuiper would load it as a second service at its next start: remove it from the zip, or install it as a service of its own',
    zh: 'zip 根目录还有另一个描述文件（{file}）；eKuiper 下次启动时会把它当作第二个服务加载：请从 zip 中删除它，或把它作为单独的服务安装',
  },
  serviceDescriptorTooLarge: {
    en: 'the descriptor {file} is {bytes} bytes; a service descriptor can be at most 1 MiB',
    zh: '描述文件 {file} 有 {bytes} 字节；服务描述文件最多 1 MiB',
  },
  serviceNameCase: {
    en: "the service '{other}' is installed, and its name differs only in case: on macOS and Windows both would use the same descriptor file. Choose another name or delete '{other}' first",
    zh: "已安装服务 '{other}'，其名称仅大小写不同：在 macOS 和 Windows 上两者会使用同一个描述文件。请换一个名称或先删除 '{other}'",
  },
  serviceFileOwned: {
    en: "the zip's {file} differs from the one the external service '{owner}' installed, and both would share the one file: rename the file (and its schemaFile) or delete that service first",
    zh: "zip 中的 {file} 与外部服务 '{owner}' 安装的同名文件不同，而两者会共用这一个文件：请重命名该文件（及其 schemaFile）或先删除那个服务",
  },
  // ---- external services: Try it (main/services/call) -------------------------------------------------------
  svcCallArgsNone: {
    en: '{rpc} takes {count} arguments, the fields of {message} ({fields}), but got none',
    zh: '{rpc} 需要 {count} 个参数，即 {message} 的字段（{fields}），但没有收到参数',
  },
  svcCallArgsCount: {
    en: '{rpc} takes {count} arguments, the fields of {message} ({fields}) in that order, or one object with those fields, but got {got}',
    zh: '{rpc} 需要 {count} 个参数，即按顺序排列的 {message} 的字段（{fields}），或一个包含这些字段的对象，但收到了 {got} 个',
  },
  svcCallArgObjectNoField: {
    en: 'the object passed to {rpc} has none of the fields of {message} ({fields}): eKuiper matches the names written in the .proto exactly',
    zh: '传给 {rpc} 的对象不含 {message} 的任何字段（{fields}）：eKuiper 按 .proto 中书写的名称精确匹配',
  },
  svcCallArgType: {
    en: "field '{field}' of {message} is {type} and cannot take {got}",
    zh: "{message} 的字段 '{field}' 是 {type} 类型，不能接受 {got}",
  },
  svcCallArgMapField: {
    en: "field '{field}' of {message} is a map, and eKuiper cannot fill map fields from SQL arguments",
    zh: "{message} 的字段 '{field}' 是 map，eKuiper 无法用 SQL 参数填充 map 字段",
  },
  svcCallStringValueArg: {
    en: '{rpc} takes a google.protobuf.StringValue, which eKuiper sends as the body as it is: the argument must be a string, not {got}',
    zh: '{rpc} 接受 google.protobuf.StringValue，eKuiper 会把它原样作为请求体发送：参数必须是字符串，而不是 {got}',
  },
  svcCallSchemalessArgs: {
    en: 'a schemaless function is called as {name}("post", "/path", arguments…): the HTTP method and the path come first, but got {count} arguments',
    zh: '无模式函数的调用方式是 {name}("post", "/path", 参数…)：HTTP 方法和路径在前，但只收到了 {count} 个参数',
  },
  svcCallSchemalessMethod: {
    en: 'the first argument of {name} is the HTTP method ("get", "post"…) and must be a string, not {got}',
    zh: '{name} 的第一个参数是 HTTP 方法（"get"、"post"…），必须是字符串，而不是 {got}',
  },
  svcCallSchemalessPath: {
    en: 'the second argument of {name} is the path ("/api/x") and must be a string, not {got}',
    zh: '{name} 的第二个参数是路径（"/api/x"），必须是字符串，而不是 {got}',
  },
  svcCallBadUrl: {
    en: "{url} is not a valid URL: eKuiper appends the path to the interface's address as it is, so the path must start with /",
    zh: '{url} 不是有效的 URL：eKuiper 把路径原样接在接口地址之后，所以路径必须以 / 开头',
  },
  svcCallHttpRulePath: {
    en: 'the google.api.http path {path} of {rpc} is not valid: eKuiper reads a field name in braces, optionally followed by =prefix/*',
    zh: '{rpc} 的 google.api.http 路径 {path} 无效：eKuiper 只识别花括号中的字段名，后面可以跟 =prefix/*',
  },
  svcCallHttpRuleField: {
    en: "the google.api.http rule of {rpc} ({path}) names the field '{field}', which {message} does not have at its top level",
    zh: "{rpc} 的 google.api.http 规则（{path}）使用了字段 '{field}'，而 {message} 的顶层没有这个字段",
  },
  svcCallHttpRuleValue: {
    en: "field '{field}' fills the URL of {rpc}, so it must be a single plain value, not {got}",
    zh: "字段 '{field}' 用于填充 {rpc} 的 URL，因此必须是单个普通值，而不是 {got}",
  },
  svcCallHttpRulePrefix: {
    en: "field '{field}' fills the path of {rpc}, whose rule wants its value to start with {prefix}; got {got}",
    zh: "字段 '{field}' 用于填充 {rpc} 的路径，规则要求它的值以 {prefix} 开头；收到的是 {got}",
  },
  svcCallHttpRuleBody: {
    en: "the google.api.http body of {rpc} is the field '{field}', which must be a message (eKuiper refuses other fields)",
    zh: "{rpc} 的 google.api.http body 是字段 '{field}'，它必须是消息类型（eKuiper 不接受其他字段）",
  },
  svcCallHttpStatus: {
    en: 'the service answered HTTP {status}: {body}',
    zh: '服务应答了 HTTP {status}：{body}',
  },
  svcCallHttpStatusEmpty: {
    en: 'the service answered HTTP {status} with an empty body',
    zh: '服务应答了 HTTP {status}，响应体为空',
  },
  svcCallContentType: {
    en: 'the service answered with Content-Type {type}, and eKuiper reads only application/json and text/plain answers: a rule would fail here (eKuiper logs "unsupported resposne content type")',
    zh: '服务应答的 Content-Type 是 {type}，而 eKuiper 只读取 application/json 和 text/plain 的应答：规则会在这里失败（eKuiper 记录 "unsupported resposne content type"）',
  },
  svcCallNoContentType: {
    en: 'the service answered without a Content-Type, and eKuiper reads only application/json and text/plain answers: a rule would fail here (eKuiper logs "unsupported resposne content type")',
    zh: '服务的应答没有 Content-Type，而 eKuiper 只读取 application/json 和 text/plain 的应答：规则会在这里失败（eKuiper 记录 "unsupported resposne content type"）',
  },
  svcCallAnswerNotJson: {
    en: 'the answer says it is JSON ({type}) but does not parse: {reason}',
    zh: '应答声明为 JSON（{type}），但无法解析：{reason}',
  },
  svcCallAnswerNotObject: {
    en: 'the answer is not a JSON object, so eKuiper cannot read it as {message}',
    zh: '应答不是 JSON 对象，eKuiper 无法把它读作 {message}',
  },
  svcCallAnswerType: {
    en: "the answer's field '{field}' of {message} is {type} but holds {got}: eKuiper would fail the call",
    zh: "应答中 {message} 的字段 '{field}' 是 {type} 类型，却是 {got}：eKuiper 会使这次调用失败",
  },
  svcCallAnswerJsonNames: {
    en: 'the answer has {fields} under JSON names; eKuiper reads the fields of {message} only under the names written in the .proto and leaves these out',
    zh: '应答以 JSON 名称给出了 {fields}；eKuiper 只按 .proto 中书写的名称读取 {message} 的字段，会忽略这些字段',
  },
  svcCallTextAnswerNotWrapper: {
    en: '{rpc} answered plain text, which eKuiper reads only when the rpc returns a wrapper such as google.protobuf.StringValue; it returns {message}',
    zh: '{rpc} 应答了纯文本，而 eKuiper 只在 rpc 返回 google.protobuf.StringValue 这类包装类型时才读取纯文本；它返回的是 {message}',
  },
  svcCallAnswerTooLarge: {
    en: 'the answer of {url} is larger than {mb} MB; Try it stops reading there',
    zh: '{url} 的应答超过 {mb} MB；试用在此停止读取',
  },
  svcCallNotSendable: {
    en: 'the request cannot be sent as HTTP ({reason}): check the method, the path and the headers',
    zh: '该请求无法作为 HTTP 发送（{reason}）：请检查方法、路径和请求头',
  },
  svcCallRefused: {
    en: "{where} refused the connection: nothing listens on port {port}. Is the service running, and is the interface's address right?",
    zh: '{where} 拒绝了连接：{port} 端口上没有服务在监听。服务是否在运行？接口地址是否正确？',
  },
  svcCallTimedOut: {
    en: '{where} did not answer within {seconds} s: eKuiper gives up on a service call after 5 s, so a rule would fail here',
    zh: '{where} 在 {seconds} 秒内没有应答：eKuiper 调用服务的超时为 5 秒，规则会在这里失败',
  },
  svcCallTls: {
    en: 'the TLS connection to {where} failed ({reason}); to accept a certificate this computer does not trust, set "insecureSkipVerify": true in the interface\'s options, as eKuiper reads it',
    zh: '与 {where} 的 TLS 连接失败（{reason}）；若要接受这台电脑不信任的证书，请在接口的 options 中设置 "insecureSkipVerify": true，eKuiper 同样读取该选项',
  },
  svcCallNotHttp: {
    en: "{where} answered with something that is not HTTP: is the interface's address right (its port, http or https, rest or grpc)?",
    zh: '{where} 的应答不是 HTTP：接口地址是否正确（端口、http 或 https、rest 或 grpc）？',
  },
  svcCallGrpcAddress: {
    en: '{address} is not a gRPC address: eKuiper dials the host and port of tcp://host:port',
    zh: '{address} 不是 gRPC 地址：eKuiper 连接 tcp://host:port 中的主机和端口',
  },
  svcCallGrpcStatus: {
    en: '{where} answered gRPC status {status}: {details}',
    zh: '{where} 应答了 gRPC 状态 {status}：{details}',
  },
  svcCallRetryInterval: {
    en: 'retryInterval {value} is not a Go duration such as 1s or 500ms, so eKuiper refuses the interface ("incorrect rest option")',
    zh: 'retryInterval {value} 不是 1s、500ms 这样的 Go 时长，因此 eKuiper 会拒绝该接口（"incorrect rest option"）',
  },
  svcCallNoProto: {
    en: 'the interface of {rpc} has no proto, so it cannot be called as an rpc',
    zh: '{rpc} 所在的接口没有 proto，无法作为 rpc 调用',
  },
  svcCallRpcMissing: {
    en: 'the proto service {service} has no rpc {rpc}',
    zh: 'proto 服务 {service} 中没有 rpc {rpc}',
  },
  svcCallMsgpack: {
    en: 'msgpack-rpc services cannot be tried here: eKuiper\'s default builds cannot call them either (msgpack-rpc needs its msgpack build tag; they answer "unsupported protocol msgpack-rpc")',
    zh: 'msgpack-rpc 服务无法在这里试用：eKuiper 的默认构建同样无法调用它们（msgpack-rpc 需要 msgpack 构建标签；默认构建应答 "unsupported protocol msgpack-rpc"）',
  },
  svcCallProtocolUnknown: {
    en: 'unsupported protocol {protocol}: eKuiper calls services over rest, grpc or msgpack-rpc',
    zh: '不支持的协议 {protocol}：eKuiper 通过 rest、grpc 或 msgpack-rpc 调用服务',
  },
  // ---- develop mode (main/authoring/develop): a plugin folder watched and updated in place ------------------
  developBodyInvalid: {
    en: 'invalid develop request: {problem}. Send a JSON object whose "folder" is the absolute path of the plugin folder',
    zh: '开发请求无效：{problem}。请发送一个 JSON 对象，其中 "folder" 是插件文件夹的绝对路径',
  },
  developFolderNotAbsolute: {
    en: 'invalid develop request: the folder {folder} is not an absolute path; the host cannot tell what it is relative to',
    zh: '开发请求无效：文件夹 {folder} 不是绝对路径；主机无法判断它相对于哪里',
  },
  developFolderMissing: {
    en: 'invalid develop request: the folder {folder} does not exist on this computer',
    zh: '开发请求无效：这台计算机上不存在文件夹 {folder}',
  },
  developNotAFolder: {
    en: 'invalid develop request: {folder} is a file, not a folder; choose the plugin folder that holds the manifest',
    zh: '开发请求无效：{folder} 是文件而不是文件夹；请选择包含清单文件的插件文件夹',
  },
  developFolderInData: {
    en: "invalid develop request: the folder {folder} is inside the host's data folder {dataDir}; develop a copy kept elsewhere, since installing rewrites the data folder",
    zh: '开发请求无效：文件夹 {folder} 位于主机的数据文件夹 {dataDir} 之内；安装会改写数据文件夹，请开发放在别处的副本',
  },
  developFolderHoldsData: {
    en: "invalid develop request: the folder {folder} holds the host's data folder {dataDir}; every install would count as a save. Choose the plugin's own folder",
    zh: '开发请求无效：文件夹 {folder} 包含主机的数据文件夹 {dataDir}；每次安装都会被当作一次保存。请选择插件自己的文件夹',
  },
  developFolderWatched: {
    en: 'the folder {folder} is already being developed (session {id}); stop that session first',
    zh: '文件夹 {folder} 已在开发中（会话 {id}）；请先停止那个会话',
  },
  developPluginWatched: {
    en: 'the plugin {plugin} is already being developed from {folder} (session {id}); stop that session first',
    zh: '插件 {plugin} 已在从 {folder} 开发中（会话 {id}）；请先停止那个会话',
  },
  developNoPlugin: {
    en: 'the folder {folder} is not a plugin folder the host can develop: {problem}',
    zh: '文件夹 {folder} 不是主机可以开发的插件文件夹：{problem}',
  },
  developRenamed: {
    en: "the manifest now names the plugin '{now}', but this session develops '{plugin}'; stop and start develop mode again to develop '{now}'",
    zh: "清单现在把插件命名为 '{now}'，但此会话开发的是 '{plugin}'；要开发 '{now}'，请停止后重新开始开发模式",
  },
  developSessionNotFound: {
    en: 'develop session {id} is not found',
    zh: '找不到开发会话 {id}',
  },
  // ---- authoring: New plugin scaffold (main/authoring/scaffold, shared/scaffold-dto.ts) ------------------------
  scaffoldLanguage: {
    en: "language '{language}' is not supported: a scaffold is written in python or go",
    zh: "不支持语言 '{language}'：脚手架可用 python 或 go 编写",
  },
  scaffoldNoSymbols: {
    en: 'a plugin needs at least one source, sink or function: add one',
    zh: '插件至少需要一个源、动作（sink）或函数：请添加一个',
  },
  scaffoldSymbolEmpty: {
    en: 'a {kind} name is empty: give every {kind} a name',
    zh: '有一个 {kind} 名称为空：请为每个 {kind} 命名',
  },
  scaffoldSymbolCharacters: {
    en: "invalid name '{symbol}' for a {kind}: use letters, digits and underscores and start with a letter or underscore, because the name becomes the file {file} and a name in the code",
    zh: "{kind} 名称 '{symbol}' 无效：只能使用字母、数字和下划线，并以字母或下划线开头，因为该名称会成为文件 {file} 以及代码中的名称",
  },
  scaffoldSymbolTooLong: {
    en: "invalid name '{symbol}' for a {kind}: {length} characters is too long; symbol names can be at most {limit} characters, because files are named after them",
    zh: "{kind} 名称 '{symbol}' 无效：{length} 个字符太长；符号名称最多 {limit} 个字符，因为文件以它命名",
  },
  scaffoldSymbolKeyword: {
    en: "invalid name '{symbol}' for a {kind}: it is a Python keyword, so the module {file} could not be imported; choose another name",
    zh: "{kind} 名称 '{symbol}' 无效：它是 Python 关键字，模块 {file} 将无法导入；请换一个名称",
  },
  scaffoldSymbolShadowsModule: {
    en: "invalid name '{symbol}' for a {kind}: the file {file} would hide the Python module '{symbol}' from the plugin, and the SDK or the plugin imports it; choose another name",
    zh: "{kind} 名称 '{symbol}' 无效：文件 {file} 会让插件找不到 Python 模块 '{symbol}'，而 SDK 或插件要导入它；请换一个名称",
  },
  scaffoldSymbolShadowsImport: {
    en: "invalid name '{symbol}' for a {kind}: the plugin's main file imports '{symbol}' from the ekuiper SDK, and importing the module {file} there would replace it; choose another name",
    zh: "{kind} 名称 '{symbol}' 无效：插件主文件从 ekuiper SDK 导入了 '{symbol}'，在那里导入模块 {file} 会替换它；请换一个名称",
  },
  scaffoldSymbolIsMain: {
    en: "invalid name '{symbol}' for a {kind}: the plugin's main file is {file} already; give the {kind} another name than the plugin",
    zh: "{kind} 名称 '{symbol}' 无效：插件主文件已是 {file}；请为该 {kind} 取一个与插件不同的名称",
  },
  scaffoldSymbolDuplicate: {
    en: "the name '{symbol}' is used twice ({first} and {second}): every source, sink and function needs its own name, also ignoring upper and lower case, because files are named after them",
    zh: "名称 '{symbol}' 被使用了两次（{first} 和 {second}）：每个源、动作和函数都需要自己的名称（不区分大小写也不能相同），因为文件以它们命名",
  },
  scaffoldPluginShadowsModule: {
    en: "invalid name {name}: the plugin's main file {file} would hide the Python module '{name}', which the SDK imports; choose another name",
    zh: "名称 {name} 无效：插件主文件 {file} 会让 SDK 找不到它要导入的 Python 模块 '{name}'；请换一个名称",
  },
  scaffoldBadBody: {
    en: 'invalid body: {problem}; send a JSON object with language ("python" or "go"), name, sources, sinks and functions (lists of names) and, to write the plugin to disk, folder',
    zh: '请求体无效：{problem}；请发送 JSON 对象，包含 language（"python" 或 "go"）、name、sources、sinks 和 functions（名称列表），要把插件写入磁盘时再加 folder',
  },
  scaffoldFolderRelative: {
    en: 'folder {folder} is not an absolute path: give the full path of the new plugin folder',
    zh: '文件夹 {folder} 不是绝对路径：请给出新插件文件夹的完整路径',
  },
  scaffoldFolderNotEmpty: {
    en: 'the folder {folder} already exists and is not empty: choose a new folder, the scaffold never writes over files',
    zh: '文件夹 {folder} 已存在且不为空：请选择一个新文件夹，脚手架从不覆盖文件',
  },
  scaffoldFolderIsFile: {
    en: '{folder} is a file, not a folder: choose a new folder for the plugin',
    zh: '{folder} 是文件而不是文件夹：请为插件选择一个新文件夹',
  },
  scaffoldWriteFailed: {
    en: 'could not write the plugin to {folder}: {reason}; nothing was left there',
    zh: '无法把插件写入 {folder}：{reason}；那里没有留下任何内容',
  },

  // ---- AI function generator (ai) ------------------------------------------------------------------------
  aiNotConfigured: {
    en: 'no AI endpoint is set up: in Settings, give the base URL of an OpenAI-compatible server (Ollama: http://127.0.0.1:11434/v1, LM Studio: http://127.0.0.1:1234/v1, OpenAI: https://api.openai.com/v1) and a model',
    zh: '尚未设置 AI 端点：请在“设置”中填写兼容 OpenAI 的服务器的基础 URL（Ollama：http://127.0.0.1:11434/v1，LM Studio：http://127.0.0.1:1234/v1，OpenAI：https://api.openai.com/v1）和模型',
  },
  aiNoModel: {
    en: 'no model is chosen for the AI endpoint: in Settings, name the model to use (for Ollama, one that `ollama list` shows)',
    zh: 'AI 端点尚未选择模型：请在“设置”中填写要使用的模型（Ollama 的模型可用 `ollama list` 查看）',
  },
  aiBaseUrlInvalid: {
    en: 'baseUrl {value} is not an http or https URL such as http://127.0.0.1:11434/v1',
    zh: 'baseUrl {value} 不是 http 或 https URL，例如 http://127.0.0.1:11434/v1',
  },
  aiModelInvalid: {
    en: 'model must be a name of at most 200 characters without line breaks',
    zh: 'model 必须是不超过 200 个字符且不含换行的名称',
  },
  aiKeyInvalid: {
    en: 'apiKey must be a non-empty text without spaces or line breaks, or null to remove the stored key',
    zh: 'apiKey 必须是不含空格和换行的非空文本，或用 null 删除已保存的密钥',
  },
  aiSettingsUnknown: {
    en: 'unknown AI setting {key}: the settings are baseUrl, model and apiKey',
    zh: '未知的 AI 设置 {key}：可用的设置为 baseUrl、model 和 apiKey',
  },
  aiRefused: {
    en: '{where} refused the connection: nothing listens there. Is the model server running (Ollama listens on port 11434, LM Studio on 1234) and is the URL right?',
    zh: '{where} 拒绝了连接：那里没有服务在监听。模型服务器是否在运行（Ollama 监听 11434 端口，LM Studio 监听 1234 端口）？URL 是否正确？',
  },
  aiTimedOut: {
    en: 'the model at {where} did not answer within {seconds} s: it may still be loading, or be too slow for this machine; try again or choose a smaller model',
    zh: '{where} 上的模型在 {seconds} 秒内没有应答：它可能仍在加载，或者对这台机器来说太慢；请重试或选择更小的模型',
  },
  aiAuthRefused: {
    en: 'the AI endpoint refused the API key (HTTP {status}: {reason}); check the key in Settings',
    zh: 'AI 端点拒绝了 API 密钥（HTTP {status}：{reason}）；请在“设置”中检查密钥',
  },
  aiAuthMissing: {
    en: 'the AI endpoint wants an API key (HTTP {status}: {reason}); store one in Settings',
    zh: 'AI 端点需要 API 密钥（HTTP {status}：{reason}）；请在“设置”中保存一个',
  },
  aiUnknownModel: {
    en: 'the AI endpoint has no model {model}; it offers: {models}',
    zh: 'AI 端点没有模型 {model}；它提供：{models}',
  },
  aiUnknownModelAnswer: {
    en: 'the AI endpoint does not know the model {model} (HTTP {status}: {reason}); choose one it offers in Settings',
    zh: 'AI 端点不认识模型 {model}（HTTP {status}：{reason}）；请在“设置”中选择它提供的模型',
  },
  aiNoModels: {
    en: 'the AI endpoint lists no models: load or pull one first (for Ollama: ollama pull <model>)',
    zh: 'AI 端点没有列出任何模型：请先加载或拉取一个（Ollama：ollama pull <model>）',
  },
  aiHttpError: {
    en: 'the AI endpoint answered HTTP {status}: {reason}',
    zh: 'AI 端点应答了 HTTP {status}：{reason}',
  },
  aiNotOpenAi: {
    en: 'the answer from {url} is not what an OpenAI-compatible server sends ({reason}); is the base URL right (it usually ends in /v1)?',
    zh: '{url} 的应答不是兼容 OpenAI 的服务器会发送的内容（{reason}）；基础 URL 是否正确（通常以 /v1 结尾）？',
  },
  aiEmptyAnswer: {
    en: 'the model answered without any code (finish reason {reason}); try again, or describe the function in more detail',
    zh: '模型的应答中没有任何代码（结束原因 {reason}）；请重试，或更详细地描述该函数',
  },
  aiFunctionNameInvalid: {
    en: 'invalid function name {name}: use letters, digits and underscores, starting with a letter or underscore (at most 64), so SQL, Python and JavaScript can all call it',
    zh: '函数名称 {name} 无效：请使用字母、数字和下划线，以字母或下划线开头（最多 64 个字符），以便 SQL、Python 和 JavaScript 都能调用它',
  },
  aiTrialInstallFailed: {
    en: 'the generated plugin did not start on this computer: {reason}',
    zh: '生成的插件无法在本机启动：{reason}',
  },
  aiTrialNameTaken: {
    en: "a portable plugin named '{name}' is installed and was not made by this app's AI generator: the generator tries Python functions under that name, so rename or delete that plugin to run the examples",
    zh: "已安装一个名为 '{name}' 的 Portable 插件，但它不是本应用的 AI 生成器创建的：生成器以该名称试用 Python 函数，请重命名或删除那个插件后再运行示例",
  },
  aiPythonClassMissing: {
    en: 'the code defines no class that implements Function (class ...(Function) with validate, exec and is_aggregate)',
    zh: '代码中没有实现 Function 的类（带有 validate、exec 和 is_aggregate 的 class ...(Function)）',
  },
  // ---- api-audit: server settings refused, forwarding answers that break off, redirects, big headers ----
  forwardBrokenAnswer: {
    en: "server '{name}' ({url}) broke off its answer: {reason}",
    zh: "服务器 '{name}'（{url}）的应答中途中断：{reason}",
  },
  serverNameNotText: { en: 'the name must be text', zh: '名称必须是文本' },
  serverNameOneLine: {
    en: 'a name is one line of text, without control characters',
    zh: '名称必须是单行文本，不能包含控制字符',
  },
  serverNameBuiltIn: {
    en: '{name} is the name of the built-in server {id}; give this one its own',
    zh: '{name} 是内置服务器 {id} 的名称；请为这台服务器另取一个名称',
  },
  serverTokenNotHeader: {
    en: 'the token goes into an HTTP header: it can hold only printable ASCII characters, on one line',
    zh: '令牌会放进 HTTP 头部：只能包含可打印的 ASCII 字符，且必须在一行内',
  },
  serverCaCertDamaged: {
    en: 'the CA certificate cannot be read: its PEM text is damaged (copy the whole file, such as ca.pem, again)',
    zh: 'CA 证书无法读取：其 PEM 文本已损坏（请重新复制整个文件，例如 ca.pem）',
  },
  serverCaCertNDamaged: {
    en: 'certificate {n} of {count} cannot be read: its PEM text is damaged (copy the whole file, such as ca.pem, again)',
    zh: '第 {n} 个证书（共 {count} 个）无法读取：其 PEM 文本已损坏（请重新复制整个文件，例如 ca.pem）',
  },
  checkRedirected: {
    en: '{where} answered {status}, sending clients to {to}: the app does not follow redirects, so if the server is there, give that address (https:// when it moved to TLS)',
    zh: '{where} 返回了 {status}，把客户端转到 {to}：本应用不跟随重定向，如果服务器在那里，请填写那个地址（若改用了 TLS，请以 https:// 开头）',
  },
  netHeadersTooLarge: {
    en: '{where} answered with headers larger than any eKuiper sends: is a proxy in front of it, or is the port right (eKuiper 9081, NeuronEX 8085)?',
    zh: '{where} 应答的头部比 eKuiper 发送的任何头部都大：它前面是否有代理？端口是否正确（eKuiper 9081，NeuronEX 8085）？',
  },
} as const satisfies Record<string, HostMessageTemplate>;

export type HostMessageKey = keyof typeof HOST_MESSAGES;

/** The parameter names of a template, read from its `{placeholders}` at compile time. */
type ParamNames<T extends string> = T extends `${string}{${infer Name}}${infer Rest}`
  ? Name | ParamNames<Rest>
  : never;

/** What `hostMessage` needs for a key: every placeholder of its English template, nothing else. */
export type HostMessageParams<K extends HostMessageKey> = Record<
  ParamNames<(typeof HOST_MESSAGES)[K]['en']>,
  string | number
>;

/** The languages a host message can be shown in; anything else reads English. */
export type HostMessageLanguage = 'en' | 'zh';

const PLACEHOLDER = /\{([A-Za-z]+)\}/g;

function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => String(params[name] ?? ''));
}

/**
 * A host message in English, exactly as the host sends it. Every message the host words itself goes through
 * here, so the window can recognise it and show it in Chinese.
 */
export function hostMessage<K extends HostMessageKey>(
  key: K,
  ...params: [ParamNames<(typeof HOST_MESSAGES)[K]['en']>] extends [never] ? [] : [HostMessageParams<K>]
): string {
  return fill(HOST_MESSAGES[key].en, params[0] ?? {});
}

/** A host message recognised: its key, its parameters, and the text before it (eKuiper's prefixes). */
export interface MatchedHostMessage {
  key: HostMessageKey;
  params: Record<string, string>;
  /** What precedes the catalog message, kept as it is: eKuiper's route prefixes, `fail to install plugin: `. */
  prefix: string;
}

interface CompiledTemplate {
  key: HostMessageKey;
  pattern: RegExp;
  names: string[];
  /** Characters of literal text: when several templates match, the most specific one wins. */
  literal: number;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * An anchored pattern for a template: literal text as is, each parameter as a lazy group (a repeated
 * parameter must repeat the same text). A parameter that opens the template cannot span a `: `, so it
 * cannot swallow the prefixes eKuiper puts before the message.
 */
function compile(key: HostMessageKey, template: string): CompiledTemplate {
  const names: string[] = [];
  let source = '^';
  let last = 0;
  let literal = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const text = template.slice(last, match.index);
    source += escapeRegExp(text);
    literal += text.length;
    const name = match[1]!;
    const seen = names.indexOf(name);
    if (seen >= 0) source += `\\${seen + 1}`;
    else {
      names.push(name);
      source += match.index === 0 ? '((?:(?!: )[\\s\\S])*?)' : '([\\s\\S]*?)';
    }
    last = match.index + match[0].length;
  }
  const tail = template.slice(last);
  source += `${escapeRegExp(tail)}$`;
  literal += tail.length;
  return { key, pattern: new RegExp(source), names, literal };
}

let compiled: CompiledTemplate[] | undefined;

function templates(): CompiledTemplate[] {
  compiled ??= (Object.keys(HOST_MESSAGES) as HostMessageKey[]).map((key) =>
    compile(key, HOST_MESSAGES[key].en),
  );
  return compiled;
}

function matchWhole(text: string): Omit<MatchedHostMessage, 'prefix'> | undefined {
  let best: (Omit<MatchedHostMessage, 'prefix'> & { literal: number }) | undefined;
  for (const { key, pattern, names, literal } of templates()) {
    if (best !== undefined && best.literal >= literal) continue;
    const found = pattern.exec(text);
    if (found === null) continue;
    const params: Record<string, string> = {};
    names.forEach((name, index) => (params[name] = found[index + 1]!));
    best = { key, params, literal };
  }
  return best === undefined ? undefined : { key: best.key, params: best.params };
}

/**
 * Reads a message the host sent back into its catalog key and parameters. The catalog message may follow
 * prefixes (`sinks plugins create command error: fail to install plugin: invalid zip file: …`): the longest
 * tail after a `: ` that is a catalog message wins, and what precedes it is answered as `prefix`.
 */
export function matchHostMessage(message: string): MatchedHostMessage | undefined {
  const whole = matchWhole(message);
  if (whole !== undefined) return { ...whole, prefix: '' };
  for (let at = message.indexOf(': '); at >= 0; at = message.indexOf(': ', at + 1)) {
    const found = matchWhole(message.slice(at + 2));
    if (found !== undefined) return { ...found, prefix: message.slice(0, at + 2) };
  }
  return undefined;
}

/** A parameter that is itself a catalog message (a reason, a hint), translated; anything else as it is. */
function localizeParam(value: string, language: HostMessageLanguage): string {
  if (value.trim() === '') return value;
  const found = matchWhole(value) ?? matchWhole(value.trim());
  if (found === undefined) return value;
  return fill(HOST_MESSAGES[found.key][language], mapParams(found.params, language));
}

function mapParams(params: Record<string, string>, language: HostMessageLanguage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) out[name] = localizeParam(value, language);
  return out;
}

/** The window's language (`en`, `zh-CN`, …) as a catalog language. */
export function hostMessageLanguage(language: string): HostMessageLanguage {
  return language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/**
 * A host message in the window's language: the catalog part translated, eKuiper's prefixes and anything
 * unknown left in English, as sent.
 */
export function localizeHostMessage(message: string, language: string): string {
  const target = hostMessageLanguage(language);
  if (target === 'en') return message;
  const found = matchHostMessage(message);
  if (found === undefined) return message;
  return found.prefix + fill(HOST_MESSAGES[found.key][target], mapParams(found.params, target));
}
