Attribute VB_Name = "CallTracker"
Option Explicit

' Every ribbon button calls OnAction with its own tag, and Python decides what the tag
' means (tracker.excel.ribbon.dispatch): adding a button never changes this module.
' "As Object" rather than IRibbonControl: no hard reference to the Office type library.

Sub OnAction(control As Object)
    ' RunPython starts by reading the active workbook: with none open, VBA would stop with
    ' run-time error 91 and a Debug button.
    If ActiveWorkbook Is Nothing Then
        MsgBox "Open your call log first, then click again.", vbInformation, "Call Tracker"
        Exit Sub
    End If
    RunPython "import tracker.excel.ribbon as r; r.dispatch('" & control.Tag & "')"
End Sub
