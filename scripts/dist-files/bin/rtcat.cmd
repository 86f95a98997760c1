@echo off
rem rtcat launcher for Windows: runs lib\rtcat.jar with the bundled runtime (runtime\, jpackage/bundle
rem builds) or else the Java in JAVA_HOME or on PATH. Exit 69 when no Java is found.
setlocal
set "RTCAT_HOME=%~dp0.."
set "RTCAT_JAVA="
if exist "%RTCAT_HOME%\runtime\bin\java.exe" set "RTCAT_JAVA=%RTCAT_HOME%\runtime\bin\java.exe"
if not defined RTCAT_JAVA if defined JAVA_HOME if exist "%JAVA_HOME%\bin\java.exe" set "RTCAT_JAVA=%JAVA_HOME%\bin\java.exe"
if not defined RTCAT_JAVA for %%J in (java.exe) do if not "%%~$PATH:J"=="" set "RTCAT_JAVA=%%~$PATH:J"
if not defined RTCAT_JAVA goto nojava
set RTCAT_STDERR_TTY=0
rem Serial GC and 256 MiB for transfers; the signal server gets its own (see ./rtcat in the source tree)
set "RTCAT_GC=-XX:+UseSerialGC -Xmx256m"
if /i "%~1"=="signal" set "RTCAT_GC=-XX:+UseG1GC -Xmx1g"
"%RTCAT_JAVA%" %RTCAT_GC% -Xshare:auto %RTCAT_JAVA_OPTS% -jar "%RTCAT_HOME%\lib\rtcat.jar" %*
exit /b %ERRORLEVEL%

:nojava
echo rtcat: no Java found: rtcat needs a Java 17 or newer runtime (set JAVA_HOME or put java on PATH) 1>&2
echo hint: winget install EclipseAdoptium.Temurin.17.JRE 1>&2
exit /b 69
