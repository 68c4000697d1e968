// The Android build: Gradle over the same sources as the Maven build beside it (pom.xml), which
// ignores this file. Not compiled on the machine this was written on (no Gradle, no Android SDK,
// no Google Maven): see app/src/android/README.md.

pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "tandem-android"

// The folders are the Maven modules' own (tandem/, app/); both are configured in the root
// build.gradle.kts, so neither holds a Gradle file of its own. desktop/ stays Maven only.
include(":tandem", ":app")
